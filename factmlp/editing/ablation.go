package editing

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/fit"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// Ablation names (AblationRecord.Ablation), in table order.
const (
	AblationFraction = "edit fraction"
	AblationWidth    = "fact-MLP width"
	AblationAdaptive = "fact-adaptive training"
	AblationRouter   = "router"
	AblationSwapMLP  = "swap MLP method"
)

// Ablations is the ablation study of issue #17 (notebook 07c) for one
// seed: the reference base model (Base, seeded by Seed) edited by every
// method at every edit fraction, then one change at a time, each a row of
// one table (AblationRows):
//
//   - Widths: the same protocol with another fact-MLP width (a base model
//     per width), edited at At, so that edits per hidden unit run from
//     ≪ 1 to > 1;
//   - AdaptiveMaps > 0: a base model trained with that many extra fact MLPs
//     taking turns in its slot (fact-adaptive training), edited at At;
//   - the router: the off-target perplexity ratio with the router forced
//     open at every non-fact position (evaluation only), from the
//     reference runs;
//   - SwapMLPs: the swapped-in MLP built by another registered method
//     (Config.SwapMethod) at its own width, on the reference base at At;
//
// and Rounds rounds of sequential editing (Base.Sequential) of
// RoundFraction each by SequentialMethods on the reference base.
//
// Every part is cached in Cache (when set) under its own key, so an
// interrupted run resumes and a base model is built only when one of its
// parts is missing. Ablations is JSON-encodable (a notebook caches the
// whole result under it).
type Ablations struct {
	Base      Config
	Seed      uint64 // seeds the base models; the edit splits use SplitSeed + Seed
	SplitSeed uint64
	Grid      Grid
	Methods   []string  // methods of the fraction sweep and the width and adaptive rows
	Fractions []float64 // edit fractions of the reference base model
	At        float64   // the edit fraction of the width, adaptive and swap-method rows; one of Fractions
	Widths    []int     // other fact-MLP widths
	// AdaptiveMaps > 0 adds the fact-adaptive row (Config.AdaptiveMaps).
	AdaptiveMaps      int
	SwapMLPs          []SwapMLP
	Rounds            int
	RoundFraction     float64
	SequentialMethods []string
	// Cache keeps every part's records (nil: none).
	Cache *diskcache.Cache `json:"-"`
}

// SwapMLP is a swapped-in MLP of another registered method (package
// method) and width (0: the base MLP's).
type SwapMLP struct {
	Method string
	Hidden int `json:",omitempty"`
}

// AblationRecord is one edit of one ablation setting.
type AblationRecord struct {
	Ablation string `json:"ablation"`
	Setting  string `json:"setting"`
	Seed     uint64 `json:"seed"`
	Hidden   int    `json:"hidden"` // the base fact MLP's width
	// EditsPerUnit is the number of altered facts over the width of the
	// MLP the edit writes into.
	EditsPerUnit float64 `json:"edits_per_unit"`
	// BaseRecall is the base model's fact recall over every phrasing.
	BaseRecall float64 `json:"base_recall"`
	// Stored is the swapped-in MLP's verification report when it does not
	// store every edited fact (swap-method rows; empty otherwise).
	NotStored string `json:"not_stored,omitempty"`
	Result
}

// SequentialRecord is one round of sequential editing for one seed.
type SequentialRecord struct {
	Seed   uint64 `json:"seed"`
	Method string `json:"method"`
	RoundResult
}

// AblationResult is everything Ablations.Run measured.
type AblationResult struct {
	Records    []AblationRecord   `json:"records"`
	Sequential []SequentialRecord `json:"sequential"`
}

// Validate checks the study before any work: it names the first value out
// of range and what is accepted.
func (a Ablations) Validate() error {
	var errs []error
	if len(a.Methods) == 0 {
		errs = append(errs, fmt.Errorf("no methods; accepted: %s", MethodNames))
	}
	for _, m := range slices.Concat(a.Methods, a.SequentialMethods) {
		if _, err := ParseMethod(m); err != nil {
			errs = append(errs, err)
		}
	}
	if len(a.Fractions) == 0 {
		errs = append(errs, fmt.Errorf("no edit fractions; give fractions in (0, 1]"))
	}
	for _, f := range a.Fractions {
		if !(f > 0 && f <= 1) {
			errs = append(errs, fmt.Errorf("edit fraction %g; fractions must be in (0, 1]", f))
		}
	}
	needAt := len(a.Widths) > 0 || a.AdaptiveMaps > 0 || len(a.SwapMLPs) > 0
	if needAt && !slices.Contains(a.Fractions, a.At) {
		errs = append(errs, fmt.Errorf("At = %g; the width, adaptive and swap-method rows need it among Fractions %v", a.At, a.Fractions))
	}
	for _, w := range a.Widths {
		if w < 1 {
			errs = append(errs, fmt.Errorf("fact-MLP width %d; widths must be ≥ 1", w))
		}
	}
	if a.AdaptiveMaps < 0 {
		errs = append(errs, fmt.Errorf("AdaptiveMaps %d; it must be ≥ 0 (0: no fact-adaptive row)", a.AdaptiveMaps))
	}
	for _, m := range a.SwapMLPs {
		if _, err := method.Lookup(m.Method); err != nil {
			errs = append(errs, fmt.Errorf("swap MLP: %w", err))
		}
		if m.Hidden < 0 {
			errs = append(errs, fmt.Errorf("swap MLP %s width %d; it must be ≥ 0 (0: the base's width)", m.Method, m.Hidden))
		}
	}
	if a.Rounds < 0 || (a.Rounds > 0 && !(a.RoundFraction > 0 && float64(a.Rounds)*a.RoundFraction <= 1)) {
		errs = append(errs, fmt.Errorf("%d rounds of %g; need rounds ≥ 0 and rounds × fraction in (0, 1]", a.Rounds, a.RoundFraction))
	}
	if a.Rounds > 0 && len(a.SequentialMethods) == 0 {
		errs = append(errs, fmt.Errorf("%d sequential rounds but no SequentialMethods; accepted: %s", a.Rounds, MethodNames))
	}
	if a.Base.SwapMethod != "" || a.Base.SwapHidden != 0 {
		errs = append(errs, fmt.Errorf("Base.SwapMethod %q, SwapHidden %d: the reference swap is the base's own builder; give other swap MLPs in SwapMLPs", a.Base.SwapMethod, a.Base.SwapHidden))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("editing: ablations: %w", err)
	}
	return nil
}

// ablationPart is the cache key of one part of the study.
type ablationPart struct {
	Part      string
	Base      Config
	SplitSeed uint64
	Grid      Grid
	Methods   []string  `json:",omitempty"`
	Fractions []float64 `json:",omitempty"`
	Rounds    int       `json:",omitempty"`
}

// Run builds the base models and measures every part (cached parts are
// read, not recomputed); prog sees each part's progress.
func (a Ablations) Run(prog progress.Func) (AblationResult, error) {
	if err := a.Validate(); err != nil {
		return AblationResult{}, err
	}
	ref := a.Base
	ref.Seed = a.Seed
	split := a.SplitSeed + a.Seed
	bases := map[string]*Base{} // built this run, by part config
	base := func(cfg Config) (*Base, error) {
		k := fmt.Sprintf("%d/%d", cfg.Hidden, cfg.AdaptiveMaps)
		if b, ok := bases[k]; ok {
			return b, nil
		}
		cfg.Progress = prog
		b, err := BuildBase(cfg)
		if err != nil {
			return nil, err
		}
		bases[k] = b
		return b, nil
	}
	var out AblationResult
	// part runs compute for key unless the cache has it.
	part := func(key ablationPart, v any, compute func() error) error {
		if ok, err := a.Cache.Load("editing-ablation", key, v); err == nil && ok {
			return nil
		}
		if err := compute(); err != nil {
			return err
		}
		return a.Cache.Store("editing-ablation", key, v)
	}
	sweep := func(name, setting string, cfg Config, methods []string, fracs []float64) error {
		var recs []AblationRecord
		err := part(ablationPart{Part: name + ": " + setting, Base: cfg, SplitSeed: split, Grid: a.Grid, Methods: methods, Fractions: fracs}, &recs, func() error {
			b, err := base(cfg)
			if err != nil {
				return err
			}
			res, err := b.Sweep(methods, fracs, a.Grid, split, prog)
			if err != nil {
				return err
			}
			recall, _ := b.Recall(nil, nil)
			recs = nil
			for _, r := range res {
				na := math.Max(1, math.Round(r.Fraction*float64(b.NumFacts())))
				recs = append(recs, AblationRecord{Ablation: name, Setting: setting, Seed: a.Seed, Hidden: b.Config.Hidden,
					EditsPerUnit: na / float64(b.Config.Hidden), BaseRecall: recall, Result: r})
			}
			return nil
		})
		out.Records = append(out.Records, recs...)
		return err
	}
	refCfg := ref.withDefaults()
	refSetting := fmt.Sprintf("reference (width %d, no fact-adaptive training)", refCfg.Hidden)
	if refCfg.AdaptiveMaps > 0 {
		refSetting = fmt.Sprintf("reference (width %d, %d fact-adaptive maps)", refCfg.Hidden, refCfg.AdaptiveMaps)
	}
	if err := sweep(AblationFraction, refSetting, ref, a.Methods, a.Fractions); err != nil {
		return out, err
	}
	// The router row: the reference runs with the router forced open.
	for _, r := range out.Records {
		if r.Ablation == AblationFraction && r.Fraction == a.At {
			r.Ablation, r.Setting = AblationRouter, "forced open at non-fact positions (evaluation only)"
			r.OffTargetPPLRatio = r.OffTargetPPLRatioRouterOpen
			out.Records = append(out.Records, r)
		}
	}
	for _, w := range a.Widths {
		cfg := ref
		cfg.Hidden = w
		if err := sweep(AblationWidth, fmt.Sprintf("width %d", w), cfg, a.Methods, []float64{a.At}); err != nil {
			return out, fmt.Errorf("width %d: %w", w, err)
		}
	}
	if a.AdaptiveMaps > 0 {
		cfg := ref
		cfg.AdaptiveMaps = a.AdaptiveMaps
		if err := sweep(AblationAdaptive, fmt.Sprintf("%d extra fact MLPs in turn", a.AdaptiveMaps), cfg, a.Methods, []float64{a.At}); err != nil {
			return out, fmt.Errorf("fact-adaptive: %w", err)
		}
	}
	for _, m := range a.SwapMLPs {
		var rec AblationRecord
		err := part(ablationPart{Part: "swap MLP", Base: ref, SplitSeed: split, Fractions: []float64{a.At}, Methods: []string{m.Method, fmt.Sprint(m.Hidden)}}, &rec, func() error {
			b, err := base(ref)
			if err != nil {
				return err
			}
			rec, err = b.swapWith(m.Method, m.Hidden, a.At, split)
			rec.Seed = a.Seed
			return err
		})
		if err != nil {
			return out, fmt.Errorf("swap MLP %s: %w", m.Method, err)
		}
		out.Records = append(out.Records, rec)
	}
	if a.Rounds > 0 {
		var seq []SequentialRecord
		err := part(ablationPart{Part: "sequential", Base: ref, SplitSeed: split, Grid: a.Grid, Methods: a.SequentialMethods, Fractions: []float64{a.RoundFraction}, Rounds: a.Rounds}, &seq, func() error {
			b, err := base(ref)
			if err != nil {
				return err
			}
			seq = nil
			for _, m := range a.SequentialMethods {
				rs, err := b.Sequential(m, a.Rounds, a.RoundFraction, split, a.Grid, prog)
				if err != nil {
					return fmt.Errorf("%s: %w", m, err)
				}
				for _, r := range rs {
					seq = append(seq, SequentialRecord{Seed: a.Seed, Method: m, RoundResult: r})
				}
			}
			return nil
		})
		if err != nil {
			return out, fmt.Errorf("sequential: %w", err)
		}
		out.Sequential = seq
	}
	return out, nil
}

// swapWith swaps in an MLP built by the registered method m at width hidden
// (0: the base's) for the split of fraction at, and records it; an MLP that
// does not store every edited fact is still evaluated (what the LM then
// says), with its verification report in NotStored.
func (b *Base) swapWith(m string, hidden int, at float64, splitSeed uint64) (AblationRecord, error) {
	sp, err := b.NewSplit(at, splitSeed)
	if err != nil {
		return AblationRecord{}, err
	}
	cfg := b.Config
	cfg.SwapMethod, cfg.SwapHidden = m, hidden
	meth, err := method.New(m, method.Settings{})
	if err != nil {
		return AblationRecord{}, err
	}
	mb, err := meth.Prepare(b.swapFacts(sp), cfg.Seed)
	if err != nil {
		return AblationRecord{}, err
	}
	g, rep, err := mb.Build(cfg.swapHidden())
	if err != nil {
		return AblationRecord{}, err
	}
	recall, _ := b.Recall(nil, nil)
	rec := AblationRecord{Ablation: AblationSwapMLP, Setting: fmt.Sprintf("%s, width %d", m, g.Hidden()), Hidden: b.Config.Hidden,
		EditsPerUnit: float64(len(sp.Altered)) / float64(g.Hidden()), BaseRecall: recall,
		Result: Result{Method: Swap, Fraction: at, Metrics: b.Evaluate(sp, g, true), Params: cfg.swapParams(), Tried: 1}}
	if !rep.Stores() {
		rec.NotStored = rep.String()
	}
	return rec, nil
}

// AblationRow is one row of the ablation table: one setting and method at
// one edit fraction over seeds.
type AblationRow struct {
	Ablation     string  `table:"ablation"`
	Setting      string  `table:"setting"`
	Method       string  `table:"method"`
	Fraction     float64 `table:"edited" fmt:"%.2f"`
	EditsPerUnit float64 `table:"edits / unit" fmt:"%.2f"`
	Seeds        int     `table:"seeds"`
	Mean         float64 `table:"score" fmt:"%.3f"`
	// Lo and Hi bound the 95% confidence interval of the mean score
	// (Student t over seeds); Min and Max are the seeds' range.
	Lo          float64   `table:"95% CI lo" fmt:"%.3f"`
	Hi          float64   `table:"95% CI hi" fmt:"%.3f"`
	Min         float64   `table:"min" fmt:"%.3f"`
	Max         float64   `table:"max" fmt:"%.3f"`
	Efficacy    float64   `table:"efficacy" fmt:"%.3f"`
	Specificity float64   `table:"specificity" fmt:"%.3f"`
	PPLRatio    float64   `table:"off-target ppl ratio" fmt:"%.4f"`
	NotStored   int       `table:"seeds not storing"`
	Scores      []float64 `table:"-"`
}

// AblationRows summarises the records of several seeds, one row per
// (ablation, setting, method, fraction) in first-seen order.
func AblationRows(recs []AblationRecord) []AblationRow {
	type key struct {
		a, s, m string
		f       float64
	}
	idx := map[key]int{}
	var rows []AblationRow
	var eff, spec, ppl, epu [][]float64
	for _, r := range recs {
		k := key{r.Ablation, r.Setting, r.Method, r.Fraction}
		i, ok := idx[k]
		if !ok {
			i = len(rows)
			idx[k] = i
			rows = append(rows, AblationRow{Ablation: r.Ablation, Setting: r.Setting, Method: r.Method, Fraction: r.Fraction})
			eff, spec, ppl, epu = append(eff, nil), append(spec, nil), append(ppl, nil), append(epu, nil)
		}
		rows[i].Scores = append(rows[i].Scores, r.Score)
		eff[i], spec[i] = append(eff[i], r.Efficacy), append(spec[i], r.Specificity)
		ppl[i], epu[i] = append(ppl[i], r.OffTargetPPLRatio), append(epu[i], r.EditsPerUnit)
		if r.NotStored != "" {
			rows[i].NotStored++
		}
	}
	for i := range rows {
		r := &rows[i]
		r.Seeds = len(r.Scores)
		r.Mean, r.Lo, r.Hi = fit.MeanCI(r.Scores)
		r.Min, r.Max = slices.Min(r.Scores), slices.Max(r.Scores)
		r.Efficacy, _, _ = fit.MeanCI(eff[i])
		r.Specificity, _, _ = fit.MeanCI(spec[i])
		r.PPLRatio, _, _ = fit.MeanCI(ppl[i])
		r.EditsPerUnit, _, _ = fit.MeanCI(epu[i])
	}
	return rows
}

// RoundBand is one method after one round of sequential editing over seeds.
type RoundBand struct {
	Method      string    `table:"method"`
	Round       int       `table:"round"`
	Edited      int       `table:"edited facts"`
	Seeds       int       `table:"seeds"`
	Mean        float64   `table:"score" fmt:"%.3f"`
	Lo          float64   `table:"95% CI lo" fmt:"%.3f"`
	Hi          float64   `table:"95% CI hi" fmt:"%.3f"`
	Efficacy    float64   `table:"efficacy (all edited so far)" fmt:"%.3f"`
	Specificity float64   `table:"specificity" fmt:"%.3f"`
	PPLRatio    float64   `table:"off-target ppl ratio" fmt:"%.4f"`
	Scores      []float64 `table:"-"`
}

// RoundBands summarises sequential records per method (in methods' order)
// and round.
func RoundBands(methods []string, recs []SequentialRecord) []RoundBand {
	var out []RoundBand
	for _, m := range methods {
		byRound := map[int][]SequentialRecord{}
		var rounds []int
		for _, r := range recs {
			if r.Method == m {
				if _, ok := byRound[r.Round]; !ok {
					rounds = append(rounds, r.Round)
				}
				byRound[r.Round] = append(byRound[r.Round], r)
			}
		}
		slices.Sort(rounds)
		for _, k := range rounds {
			rs := byRound[k]
			b := RoundBand{Method: m, Round: k, Edited: rs[0].Edited, Seeds: len(rs)}
			var eff, spec, ppl []float64
			for _, r := range rs {
				b.Scores = append(b.Scores, r.Score)
				eff, spec, ppl = append(eff, r.Efficacy), append(spec, r.Specificity), append(ppl, r.OffTargetPPLRatio)
			}
			b.Mean, b.Lo, b.Hi = fit.MeanCI(b.Scores)
			b.Efficacy, _, _ = fit.MeanCI(eff)
			b.Specificity, _, _ = fit.MeanCI(spec)
			b.PPLRatio, _, _ = fit.MeanCI(ppl)
			out = append(out, b)
		}
	}
	return out
}

// Advantage is the swap against the best baseline in one ablation setting
// at one edit fraction (means over seeds with 95% CIs).
type Advantage struct {
	Ablation     string  `table:"ablation"`
	Setting      string  `table:"setting"`
	Fraction     float64 `table:"edited" fmt:"%.2f"`
	EditsPerUnit float64 `table:"edits / unit" fmt:"%.2f"`
	Swap         float64 `table:"swap" fmt:"%.3f"`
	SwapLo       float64 `table:"swap CI lo" fmt:"%.3f"`
	SwapHi       float64 `table:"swap CI hi" fmt:"%.3f"`
	Best         string  `table:"best baseline"`
	BestMean     float64 `table:"its score" fmt:"%.3f"`
	BestLo       float64 `table:"its CI lo" fmt:"%.3f"`
	BestHi       float64 `table:"its CI hi" fmt:"%.3f"`
	Ratio        float64 `table:"swap / best" fmt:"%.2f"`
	// Clear says the CIs do not overlap: swap's lower bound is above the
	// best baseline's upper bound.
	Clear bool `table:"CIs apart"`
}

// Advantages compares, for every swap row, the swap with the best baseline
// (highest mean score) of the same setting and fraction; a setting without
// baselines (the swap-MLP rows, the router row) is compared with the
// reference fraction sweep's best at that fraction.
func Advantages(rows []AblationRow) []Advantage {
	type key struct {
		a, s string
		f    float64
	}
	best := map[key]AblationRow{}
	for _, r := range rows {
		k := key{r.Ablation, r.Setting, r.Fraction}
		if r.Method != Swap && (best[k].Method == "" || r.Mean > best[k].Mean) {
			best[k] = r
		}
	}
	var out []Advantage
	for _, r := range rows {
		if r.Method != Swap || r.Ablation == AblationRouter {
			continue
		}
		b, ok := best[key{r.Ablation, r.Setting, r.Fraction}]
		if !ok {
			for k, v := range best {
				if k.a == AblationFraction && k.f == r.Fraction {
					b, ok = v, true
				}
			}
		}
		if !ok {
			continue
		}
		out = append(out, Advantage{Ablation: r.Ablation, Setting: r.Setting, Fraction: r.Fraction, EditsPerUnit: r.EditsPerUnit,
			Swap: r.Mean, SwapLo: r.Lo, SwapHi: r.Hi, Best: b.Method, BestMean: b.Mean, BestLo: b.Lo, BestHi: b.Hi,
			Ratio: r.Mean / b.Mean, Clear: r.Lo > b.Hi})
	}
	return out
}
