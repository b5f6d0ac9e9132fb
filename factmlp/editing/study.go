package editing

import (
	"slices"

	"github.com/factmlp/factmlp/factmlp/progress"
)

// Study is an editing experiment: build the base model of Base, then apply
// every method at every edit fraction (one split per fraction, drawn from
// SplitSeed), each baseline with its best setting from Grid. It is
// JSON-encodable, so a notebook can cache the result under the study itself.
type Study struct {
	Base      Config
	Methods   []string
	Fractions []float64
	Grid      Grid
	SplitSeed uint64
}

// StudyResult is the base model's quality and every edit's result.
type StudyResult struct {
	Facts, Hidden int
	MLP           string // the base fact MLP's verification report
	RecallTrain   float64
	RecallHeldOut float64
	NonFactCE     float64
	Results       []Result // method-minor, fraction-major (Base.Sweep's order)
}

// Run builds the base model and runs the sweep; prog sees the base model's
// training, then the edits.
func (s Study) Run(prog progress.Func) (StudyResult, error) {
	cfg := s.Base
	cfg.Progress = prog
	b, err := BuildBase(cfg)
	if err != nil {
		return StudyResult{}, err
	}
	tr, ho := b.Recall(nil, nil)
	res, err := b.Sweep(s.Methods, s.Fractions, s.Grid, s.SplitSeed, prog)
	return StudyResult{Facts: b.NumFacts(), Hidden: b.Config.Hidden, MLP: b.MLPReport.String(), RecallTrain: tr, RecallHeldOut: ho,
		NonFactCE: b.NonFactCE(nil), Results: res}, err
}

// BestBaseline returns, per edit fraction, the best score among the
// results whose method is not Swap: what swapping is compared with.
func BestBaseline(results []Result) map[float64]float64 {
	best := map[float64]float64{}
	for _, r := range results {
		if r.Method != Swap && r.Score > best[r.Fraction] {
			best[r.Fraction] = r.Score
		}
	}
	return best
}

// WithSeed returns the study with the base model seeded by seed and the
// edit split by SplitSeed + seed, so that every seed is a fresh draw of
// embeddings, fact MLP, LM and edited facts.
func (s Study) WithSeed(seed uint64) Study {
	s.Base.Seed = seed
	s.SplitSeed += seed
	return s
}

// Band is one method at one edit fraction over seeds: the mean, minimum and
// maximum of the editing score and of the off-target perplexity ratio.
type Band struct {
	Method       string    `table:"method"`
	Fraction     float64   `table:"edited fraction" fmt:"%.2f"`
	Seeds        int       `table:"seeds"`
	Mean         float64   `table:"score (mean)" fmt:"%.3f"`
	Min          float64   `table:"min" fmt:"%.3f"`
	Max          float64   `table:"max" fmt:"%.3f"`
	Scores       []float64 `table:"-"`                          // per seed, in the order given
	EfficacyMean float64   `table:"efficacy (mean)" fmt:"%.3f"` // new object on the edit sentence
	PPLRatioMean float64   `table:"off-target ppl ratio" fmt:"%.4f"`
	// PPLRatioRouterOpenMean is the off-target ratio with the router forced
	// open (Metrics.OffTargetPPLRatioRouterOpen), averaged over seeds.
	PPLRatioRouterOpenMean float64 `table:"same, router open" fmt:"%.4f"`
	// RatioToBest is swap's mean score over the best baseline's mean score
	// at this fraction (swap rows only).
	RatioToBest float64 `table:"swap / best baseline" fmt:"%.2f"`
}

// Bands summarises studies run with several seeds (Study.WithSeed), per
// method and fraction in the order of methods and sorted fractions.
func Bands(methods []string, runs []StudyResult) []Band {
	type key struct {
		m string
		f float64
	}
	scores := map[key][]float64{}
	ppl, eff, open := map[key]float64{}, map[key]float64{}, map[key]float64{}
	var fracs []float64
	for _, run := range runs {
		for _, r := range run.Results {
			k := key{r.Method, r.Fraction}
			if _, ok := scores[k]; !ok && !slices.Contains(fracs, r.Fraction) {
				fracs = append(fracs, r.Fraction)
			}
			scores[k] = append(scores[k], r.Score)
			ppl[k] += r.OffTargetPPLRatio
			eff[k] += r.Efficacy
			open[k] += r.OffTargetPPLRatioRouterOpen
		}
	}
	slices.Sort(fracs)
	var out []Band
	best := map[float64]float64{}
	for _, m := range methods {
		for _, f := range fracs {
			v := scores[key{m, f}]
			if len(v) == 0 {
				continue
			}
			b := Band{Method: m, Fraction: f, Seeds: len(v), Scores: v, Min: slices.Min(v), Max: slices.Max(v), PPLRatioMean: ppl[key{m, f}] / float64(len(v)),
				EfficacyMean: eff[key{m, f}] / float64(len(v)), PPLRatioRouterOpenMean: open[key{m, f}] / float64(len(v))}
			for _, x := range v {
				b.Mean += x / float64(len(v))
			}
			if m != Swap && b.Mean > best[f] {
				best[f] = b.Mean
			}
			out = append(out, b)
		}
	}
	for i := range out {
		if out[i].Method == Swap && best[out[i].Fraction] > 0 {
			out[i].RatioToBest = out[i].Mean / best[out[i].Fraction]
		}
	}
	return out
}
