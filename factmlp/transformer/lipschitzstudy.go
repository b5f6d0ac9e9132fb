package transformer

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/fit"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/progress"
	"gonum.org/v1/gonum/mat"
)

// LipschitzStudy is the paper's Figure 5, usability against the fact MLP's
// Lipschitz constant, with whitening strength α as the knob: for every fact
// set, seed and α it finds the smallest width at which the whitened
// encoder–decoder (method.WhitenedEncDec) stores the facts on its own (the
// capacity side), builds the MLP at one width shared by every α of that
// fact set and seed (WidthFactor × the unwhitened minimum), trains the
// Transformer with it (Run) and measures ‖J‖ of that MLP at its keys and at
// the inputs attention actually delivers (DeliveredInputs).
//
// Methods puts other registered methods (e.g. the Hebbian MLPs) on the
// same figure: for every fact set and seed, each method's own smallest
// storing width (StandaloneSearch), the Transformer at WidthFactor × that
// width, the same measurements.
type LipschitzStudy struct {
	// FactSets are tied fact-set kinds; each run replaces Seed by its own
	// seed, so every seed draws a new fact set of each kind.
	FactSets []factset.Spec
	Alphas   []float64 // whitening strengths, each in [0, 1] (of "encdec" only)
	// Methods are the registered methods to run (MLPMethod: ReLU gate
	// wherever the method takes one). Empty: the whitened encoder–decoder
	// alone, as before Methods existed (same cache keys, same points).
	// "encdec" is the whitened encoder–decoder at every α; any other name
	// gives one point per fact set and seed, carrying the name in its
	// Method and Alpha = 0.
	Methods []string `json:",omitempty"`
	Seeds   []uint64 // seed the fact set, the MLPs, the Transformer and the data
	// Task is the SSFR layout every run uses (its Facts is set from each fact
	// set); required, so the study never depends on DefaultTask.
	Task        Task
	WidthFactor float64 // MLP width = ⌈WidthFactor × unwhitened standalone minimum⌉ (≥ 1)
	Steps       int     // training steps per run (early stopping as in DefaultTrainOptions)
	EvalSeqs    int     // sequences per evaluation (0: 2000)
	// LipschitzInputs is how many keys and how many delivered inputs ‖J‖ is
	// measured at (0: 128 each).
	LipschitzInputs int
	// Cache, if set, keeps every standalone search and every run on disk.
	Cache *diskcache.Cache `json:"-"`
}

// LipschitzPoint is one (fact set, seed, α) of a LipschitzStudy.
type LipschitzPoint struct {
	// Method is the registered method of a point of LipschitzStudy.Methods
	// ("encdec": the whitened encoder–decoder at Alpha); empty in a study
	// without Methods, whose points are all the whitened encoder–decoder.
	Method           string  `json:",omitempty" table:"-"`
	FactSet          string  `table:"fact set"`
	Seed             uint64  `table:"seed"`
	Alpha            float64 `table:"α"`
	StandaloneHidden int     `table:"standalone min hidden"`
	StandaloneParams int     `table:"standalone min params"`
	Hidden           int     `table:"hidden"`
	Steps            int     `table:"steps"`
	Recall           float64 `table:"recall"`
	FactAdaptive     float64 `table:"fact-adaptive"`
	DeliveryCos      float64 `table:"delivery cos" fmt:"%.5f"`
	// DeliveryNormRatio is the mean of ‖z‖/‖e_K‖ over the delivered inputs:
	// the pre-MLP RMSNorm hands every key at one norm, so keys of other
	// norms arrive rescaled.
	DeliveryNormRatio float64         `table:"‖z‖/‖key‖" fmt:"%.3f"`
	AtKeys            JacobianSummary `table:"-"`
	AtDelivered       JacobianSummary `table:"-"`
	// Note says why this point has no measurement (e.g. the fresh MLP for
	// the swap cannot be built at this width); empty otherwise.
	Note string `json:",omitempty" table:"-"`
}

// FactSetLabel names a fact-set kind without its seed, e.g. "conditioned κ=100".
func FactSetLabel(s factset.Spec) string {
	n, err := s.Normalize()
	if err != nil {
		return s.Family
	}
	switch n.Family {
	case factset.FamilyConditioned:
		return fmt.Sprintf("conditioned κ=%g", n.Kappa)
	case factset.FamilySpiked:
		return fmt.Sprintf("spiked β=%g", n.Beta)
	case factset.FamilyClustered:
		return fmt.Sprintf("clustered (%d clusters, spread %g)", n.Clusters, n.Spread)
	}
	return n.Family
}

func (s LipschitzStudy) validate() error {
	switch {
	case len(s.FactSets) == 0:
		return fmt.Errorf("transformer: Lipschitz study needs at least one fact set")
	case len(s.Alphas) == 0 && s.runsEncDec():
		return fmt.Errorf("transformer: Lipschitz study needs at least one whitening strength α")
	case len(s.Seeds) == 0:
		return fmt.Errorf("transformer: Lipschitz study needs at least one seed")
	case !(s.WidthFactor >= 1) || math.IsInf(s.WidthFactor, 0):
		return fmt.Errorf("transformer: width factor %v; it must be a finite number ≥ 1", s.WidthFactor)
	case s.Steps < 1:
		return fmt.Errorf("transformer: steps %d; it must be ≥ 1", s.Steps)
	case s.EvalSeqs < 0 || s.LipschitzInputs < 0:
		return fmt.Errorf("transformer: evaluation sequences %d and Lipschitz inputs %d must be ≥ 0 (0: default)", s.EvalSeqs, s.LipschitzInputs)
	}
	for _, name := range s.Methods {
		if name == "encdec" {
			continue
		}
		if _, err := MLPMethod(name); err != nil {
			return fmt.Errorf("transformer: Lipschitz study: %w", err)
		}
	}
	for _, a := range s.Alphas {
		if !(a >= 0 && a <= 1) {
			return fmt.Errorf("transformer: whitening strength α = %v; it must be in [0, 1]", a)
		}
	}
	for i, f := range s.FactSets {
		n, err := f.Normalize()
		if err != nil {
			return fmt.Errorf("transformer: fact set %d: %w", i, err)
		}
		if n.Untied {
			return fmt.Errorf("transformer: fact set %d (%s) is untied; SSFR needs tied fact sets", i, n)
		}
		t := s.Task
		t.Facts = n.N
		if err := t.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// runsEncDec says whether the study runs the whitened encoder–decoder.
func (s LipschitzStudy) runsEncDec() bool {
	return len(s.Methods) == 0 || slices.Contains(s.Methods, "encdec")
}

// methods is the list of methods the study runs, "encdec" included.
func (s LipschitzStudy) methods() []string {
	if len(s.Methods) == 0 {
		return []string{"encdec"}
	}
	return s.Methods
}

// standalone is the cached smallest storing width of the whitened
// encoder–decoder for one fact set, α and seed.
func (s LipschitzStudy) standalone(spec factset.Spec, fs *factset.FactSet, alpha float64, seed uint64) (hidden, params int, err error) {
	key := struct {
		Facts        factset.Spec
		Alpha        float64
		Seed         uint64
		Start, Lo, H int
	}{spec, alpha, seed, standaloneStart, standaloneLo, standaloneHi}
	return s.cachedStandalone("fig5-standalone", key, fs, method.WhitenedEncDec{Alpha: alpha}, seed)
}

// cachedStandalone is StandaloneSearch of m on fs over the study's standard
// range, loaded from or stored to the cache under bucket and key.
func (s LipschitzStudy) cachedStandalone(bucket string, key any, fs *factset.FactSet, m method.Method, seed uint64) (hidden, params int, err error) {
	var v [2]int
	if ok, err := s.Cache.Load(bucket, key, &v); err == nil && ok {
		return v[0], v[1], nil
	}
	hidden, params, err = StandaloneSearch(fs, m, seed, standaloneStart, standaloneLo, standaloneHi)
	if err != nil {
		return 0, 0, err
	}
	return hidden, params, s.Cache.Store(bucket, key, [2]int{hidden, params})
}

// Run measures every fact set, seed and α, in that order, reporting one
// unit of progress per Transformer run.
func (s LipschitzStudy) Run(prog progress.Func) ([]LipschitzPoint, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	if s.EvalSeqs == 0 {
		s.EvalSeqs = 2000
	}
	if s.LipschitzInputs == 0 {
		s.LipschitzInputs = 128
	}
	total := 0
	for _, name := range s.methods() {
		if name == "encdec" {
			total += len(s.FactSets) * len(s.Seeds) * len(s.Alphas)
		} else {
			total += len(s.FactSets) * len(s.Seeds)
		}
	}
	var out []LipschitzPoint
	for _, kind := range s.FactSets {
		label := FactSetLabel(kind)
		for _, seed := range s.Seeds {
			spec := kind
			spec.Seed = seed
			spec, err := spec.Normalize()
			if err != nil {
				return nil, err
			}
			fs, err := spec.Generate()
			if err != nil {
				return nil, err
			}
			for _, name := range s.methods() {
				if name != "encdec" {
					prog.Report(len(out), total, fmt.Sprintf("%s seed %d %s", label, seed, name))
					p, err := s.methodPoint(spec, fs, label, name, seed)
					if err != nil {
						return nil, err
					}
					out = append(out, p)
					continue
				}
				h0, _, err := s.standalone(spec, fs, 0, seed)
				if err != nil {
					return nil, err
				}
				if h0 == 0 {
					return nil, fmt.Errorf("transformer: the unwhitened encoder–decoder stores %s at no width up to %d", spec, standaloneHi)
				}
				hidden := int(math.Ceil(s.WidthFactor * float64(h0)))
				for _, a := range s.Alphas {
					prog.Report(len(out), total, fmt.Sprintf("%s seed %d α=%.2f", label, seed, a))
					p, err := s.point(spec, fs, label, a, seed, hidden)
					if err != nil {
						return nil, err
					}
					if len(s.Methods) > 0 {
						p.Method = "encdec"
					}
					out = append(out, p)
				}
			}
		}
	}
	prog.Report(total, total, "done")
	return out, nil
}

// point runs (or loads) one α of one fact set and seed at width hidden.
func (s LipschitzStudy) point(spec factset.Spec, fs *factset.FactSet, label string, alpha float64, seed uint64, hidden int) (LipschitzPoint, error) {
	task := s.Task
	task.Facts = spec.N
	key := struct {
		Facts                     factset.Spec
		Alpha                     float64
		Seed                      uint64
		Hidden, Steps, Eval, Inpt int
		Task                      Task
	}{spec, alpha, seed, hidden, s.Steps, s.EvalSeqs, s.LipschitzInputs, task}
	var p LipschitzPoint
	if ok, err := s.Cache.Load("fig5-run", key, &p); err == nil && ok {
		return p, nil
	}
	p = LipschitzPoint{FactSet: label, Seed: seed, Alpha: alpha, Hidden: hidden}
	var err error
	if p.StandaloneHidden, p.StandaloneParams, err = s.standalone(spec, fs, alpha, seed); err != nil {
		return p, err
	}
	return s.runPoint(p, RunConfig{Facts: spec, Method: "encdec", MLP: method.WhitenedEncDec{Alpha: alpha}, Hidden: hidden, Seed: seed,
		Task: task, EvalSeqs: s.EvalSeqs}, fs, "fig5-run", key)
}

// runPoint trains the Transformer of cfg (with the study's steps and cfg's
// seed), measures p on it and stores p under bucket/key. A width the
// method cannot build gives p with its Note set, stored the same way.
func (s LipschitzStudy) runPoint(p LipschitzPoint, cfg RunConfig, fs *factset.FactSet, bucket string, key any) (LipschitzPoint, error) {
	cfg.Train = DefaultTrainOptions()
	cfg.Train.Steps, cfg.Train.Seed = s.Steps, cfg.Seed
	r, err := Run(cfg)
	if err != nil {
		if !method.IsWidthError(err) {
			return p, err
		}
		p.Note = err.Error()
		return p, s.Cache.Store(bucket, key, p)
	}
	if err := s.measure(&p, r, fs, cfg.Seed); err != nil {
		return p, err
	}
	return p, s.Cache.Store(bucket, key, p)
}

// methodPoint runs (or loads) the registered method name on one fact set
// and seed: its smallest storing width, the Transformer at WidthFactor ×
// that width. A method that stores the facts at no width up to the
// search's bound, or cannot build the swap map's MLP, gives a point with
// its Note set.
func (s LipschitzStudy) methodPoint(spec factset.Spec, fs *factset.FactSet, label, name string, seed uint64) (LipschitzPoint, error) {
	m, err := MLPMethod(name)
	if err != nil {
		return LipschitzPoint{}, err
	}
	p := LipschitzPoint{Method: name, FactSet: label, Seed: seed}
	skey := struct {
		Facts        factset.Spec
		Method       string
		Seed         uint64
		Start, Lo, H int
	}{spec, name, seed, standaloneStart, standaloneLo, standaloneHi}
	if p.StandaloneHidden, p.StandaloneParams, err = s.cachedStandalone("fig5-method-standalone", skey, fs, m, seed); err != nil {
		return p, err
	}
	if p.StandaloneHidden == 0 {
		p.Note = fmt.Sprintf("%s stores %s at no width from %d to %d", name, spec, standaloneLo, standaloneHi)
		return p, nil
	}
	p.Hidden = int(math.Ceil(s.WidthFactor * float64(p.StandaloneHidden)))
	task := s.Task
	task.Facts = spec.N
	key := struct {
		Facts                     factset.Spec
		Method                    string
		Seed                      uint64
		Hidden, Steps, Eval, Inpt int
		Task                      Task
	}{spec, name, seed, p.Hidden, s.Steps, s.EvalSeqs, s.LipschitzInputs, task}
	var got LipschitzPoint
	if ok, err := s.Cache.Load("fig5-method-run", key, &got); err == nil && ok {
		return got, nil
	}
	return s.runPoint(p, RunConfig{Facts: spec, Method: name, MLP: m, Hidden: p.Hidden, Seed: seed, Task: task, EvalSeqs: s.EvalSeqs},
		fs, "fig5-method-run", key)
}

// measure fills p's usability and Lipschitz fields from the run r on fs.
func (s LipschitzStudy) measure(p *LipschitzPoint, r *RunResult, fs *factset.FactSet, seed uint64) error {
	var err error
	p.Steps, p.Recall, p.FactAdaptive, p.DeliveryCos = r.Train.Steps, r.Recall.Accuracy, r.FactAdaptive.Accuracy, r.FactAdaptive.DeliveryCos
	g := r.Model.MLP
	n := min(s.LipschitzInputs, fs.NumFacts())
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i * fs.NumFacts() / n
	}
	if p.AtKeys, err = Jacobians(g, rowsOf(fs.Keys, idx), lipschitzIters, seed); err != nil {
		return err
	}
	Z, keys, err := DeliveredInputs(r.Model, fs.Map, s.LipschitzInputs, seed+303)
	if err != nil {
		return err
	}
	if p.AtDelivered, err = Jacobians(g, Z, lipschitzIters, seed); err != nil {
		return err
	}
	for i, k := range keys {
		p.DeliveryNormRatio += rowNorm(Z, i) / rowNorm(fs.Keys, k) / float64(len(keys))
	}
	return nil
}

// rowsOf returns the rows idx of m as a new matrix.
func rowsOf(m *mat.Dense, idx []int) *mat.Dense {
	_, d := m.Dims()
	out := mat.NewDense(len(idx), d, nil)
	for i, k := range idx {
		out.SetRow(i, m.RawRowView(k))
	}
	return out
}

func rowNorm(m *mat.Dense, i int) float64 { return mat.Norm(m.RowView(i), 2) }

// lipschitzIters is the number of power-iteration steps per ‖J(x)‖₂.
const lipschitzIters = 30

// LipschitzMeasure picks one definition of the Lipschitz constant from a
// LipschitzPoint, so that an axis or a correlation uses exactly one.
type LipschitzMeasure struct {
	Name string // e.g. "mean ‖J‖/‖f‖ at delivered inputs"
	Of   func(LipschitzPoint) float64
}

// LipschitzMeasures are the definitions a LipschitzStudy records: mean and
// max, raw ‖J(x)‖₂ and relative ‖J(x)‖₂/‖f(x)‖, at the keys and at the
// delivered inputs.
func LipschitzMeasures() []LipschitzMeasure {
	var out []LipschitzMeasure
	for _, at := range []struct {
		name string
		get  func(LipschitzPoint) JacobianSummary
	}{{"keys", func(p LipschitzPoint) JacobianSummary { return p.AtKeys }},
		{"delivered inputs", func(p LipschitzPoint) JacobianSummary { return p.AtDelivered }}} {
		get := at.get
		out = append(out,
			LipschitzMeasure{"mean ‖J‖/‖f‖ at " + at.name, func(p LipschitzPoint) float64 { return get(p).RelMean }},
			LipschitzMeasure{"max ‖J‖/‖f‖ at " + at.name, func(p LipschitzPoint) float64 { return get(p).RelMax }},
			LipschitzMeasure{"mean ‖J‖ at " + at.name, func(p LipschitzPoint) float64 { return get(p).RawMean }},
			LipschitzMeasure{"max ‖J‖ at " + at.name, func(p LipschitzPoint) float64 { return get(p).RawMax }})
	}
	return out
}

// LipschitzMeasureNamed returns the measure of LipschitzMeasures called name.
func LipschitzMeasureNamed(name string) (LipschitzMeasure, error) {
	var names []string
	for _, m := range LipschitzMeasures() {
		if m.Name == name {
			return m, nil
		}
		names = append(names, m.Name)
	}
	return LipschitzMeasure{}, fmt.Errorf("transformer: unknown Lipschitz measure %q; accepted: %s", name, strings.Join(names, "; "))
}

// Correlation is how well one Lipschitz measure orders usability.
type Correlation struct {
	Measure string `table:"Lipschitz measure"`
	Usage   string `table:"usability"`
	fit.Rank
	// Note says why the correlation is undefined (e.g. every point has the
	// same accuracy); Rho and its interval are NaN then.
	Note string `table:"note"`
}

// Correlations ranks every measure of LipschitzMeasures against the
// fact-adaptive accuracy and against recall over the measured points
// (points with a Note are left out). A correlation the points cannot
// define (fewer than 4 points, a constant sample) has its Note set instead
// of failing the others.
func Correlations(pts []LipschitzPoint) []Correlation {
	var ok []LipschitzPoint
	for _, p := range pts {
		if p.Note == "" {
			ok = append(ok, p)
		}
	}
	var out []Correlation
	for _, m := range LipschitzMeasures() {
		for _, u := range []struct {
			name string
			of   func(LipschitzPoint) float64
		}{{"fact-adaptive", func(p LipschitzPoint) float64 { return p.FactAdaptive }}, {"recall", func(p LipschitzPoint) float64 { return p.Recall }}} {
			xs, ys := make([]float64, len(ok)), make([]float64, len(ok))
			for i, p := range ok {
				xs[i], ys[i] = m.Of(p), u.of(p)
			}
			c := Correlation{Measure: m.Name, Usage: u.name}
			if r, err := fit.Spearman(xs, ys); err != nil {
				c.Rank = fit.Rank{Rho: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN(), N: len(ok)}
				c.Note = err.Error()
			} else {
				c.Rank = r
			}
			out = append(out, c)
		}
	}
	return out
}

// TradeoffRow is one fact set and α of a LipschitzStudy summarised over
// its seeds (points with a Note left out): the capacity side (standalone
// minimum parameters), the usability side (fact-adaptive accuracy) and the
// Lipschitz constant between them.
type TradeoffRow struct {
	FactSet            string  `table:"fact set"`
	Alpha              float64 `table:"α"`
	Seeds              int     `table:"seeds"`
	StandaloneParams   float64 `table:"standalone min params (mean)" fmt:"%.0f"`
	StandaloneMin      int     `table:"min"`
	StandaloneMax      int     `table:"max"`
	FactAdaptive       float64 `table:"fact-adaptive (mean)" fmt:"%.4f"`
	FactAdaptiveMin    float64 `table:"min" fmt:"%.4f"`
	FactAdaptiveMax    float64 `table:"max" fmt:"%.4f"`
	KeysLipschitz      float64 `table:"mean ‖J‖ at keys (mean)" fmt:"%.3g"`
	DeliveredLipschitz float64 `table:"mean ‖J‖ at delivered (mean)" fmt:"%.3g"`
	DeliveryCos        float64 `table:"delivery cos (mean)" fmt:"%.5f"`
}

// Tradeoff summarises pts per method (in first-seen order), fact set (in
// first-seen order) and α (increasing); the rows of a method other than
// the whitened encoder–decoder name it before the fact set ("method: set").
func Tradeoff(pts []LipschitzPoint) []TradeoffRow {
	var methods, sets []string
	var alphas []float64
	for _, p := range pts {
		if m := pointMethod(p); !slices.Contains(methods, m) {
			methods = append(methods, m)
		}
		if !slices.Contains(sets, p.FactSet) {
			sets = append(sets, p.FactSet)
		}
		if !slices.Contains(alphas, p.Alpha) {
			alphas = append(alphas, p.Alpha)
		}
	}
	slices.Sort(alphas)
	var out []TradeoffRow
	for _, m := range methods {
		for _, s := range sets {
			for _, a := range alphas {
				label := s
				if m != "encdec" {
					label = m + ": " + s
				}
				r := TradeoffRow{FactSet: label, Alpha: a, StandaloneMin: math.MaxInt, FactAdaptiveMin: math.Inf(1), FactAdaptiveMax: math.Inf(-1)}
				for _, p := range pts {
					if pointMethod(p) != m || p.FactSet != s || p.Alpha != a || p.Note != "" {
						continue
					}
					r.Seeds++
					r.StandaloneParams += float64(p.StandaloneParams)
					r.StandaloneMin, r.StandaloneMax = min(r.StandaloneMin, p.StandaloneParams), max(r.StandaloneMax, p.StandaloneParams)
					r.FactAdaptive += p.FactAdaptive
					r.FactAdaptiveMin, r.FactAdaptiveMax = math.Min(r.FactAdaptiveMin, p.FactAdaptive), math.Max(r.FactAdaptiveMax, p.FactAdaptive)
					r.KeysLipschitz += p.AtKeys.RawMean
					r.DeliveredLipschitz += p.AtDelivered.RawMean
					r.DeliveryCos += p.DeliveryCos
				}
				if r.Seeds == 0 {
					continue
				}
				n := float64(r.Seeds)
				r.StandaloneParams, r.FactAdaptive, r.KeysLipschitz, r.DeliveredLipschitz, r.DeliveryCos =
					r.StandaloneParams/n, r.FactAdaptive/n, r.KeysLipschitz/n, r.DeliveredLipschitz/n, r.DeliveryCos/n
				out = append(out, r)
			}
		}
	}
	return out
}

// pointMethod is p's method, "encdec" for a point of a study without
// Methods.
func pointMethod(p LipschitzPoint) string {
	if p.Method == "" {
		return "encdec"
	}
	return p.Method
}

// MethodSpan is one method of a LipschitzStudy over all its fact sets and
// seeds: how many draws it stores alone, how many were measured in the
// Transformer, and the min–max of usability and ‖J‖ over those.
type MethodSpan struct {
	Method                           string
	Draws, Stored, Measured          int
	FactAdaptiveMin, FactAdaptiveMax float64
	KeysMin, KeysMax                 float64 // mean ‖J‖ at the keys
	Note                             string  // the last point's Note, if any
}

// MethodSpans summarises pts per method, in first-seen order.
func MethodSpans(pts []LipschitzPoint) []MethodSpan {
	var out []MethodSpan
	at := map[string]int{}
	for _, p := range pts {
		m := pointMethod(p)
		i, ok := at[m]
		if !ok {
			i, at[m] = len(out), len(out)
			out = append(out, MethodSpan{Method: m, FactAdaptiveMin: math.Inf(1), FactAdaptiveMax: math.Inf(-1), KeysMin: math.Inf(1), KeysMax: math.Inf(-1)})
		}
		s := &out[i]
		s.Draws++
		if p.StandaloneHidden > 0 {
			s.Stored++
		}
		if p.Note != "" {
			s.Note = p.Note
			continue
		}
		s.Measured++
		s.FactAdaptiveMin, s.FactAdaptiveMax = math.Min(s.FactAdaptiveMin, p.FactAdaptive), math.Max(s.FactAdaptiveMax, p.FactAdaptive)
		s.KeysMin, s.KeysMax = math.Min(s.KeysMin, p.AtKeys.RawMean), math.Max(s.KeysMax, p.AtKeys.RawMean)
	}
	return out
}

// String is one line of markdown: draws stored, runs measured, the spans.
func (s MethodSpan) String() string {
	line := fmt.Sprintf("**%s** stores %d of %d draws alone; measured in the Transformer on %d", s.Method, s.Stored, s.Draws, s.Measured)
	if s.Measured > 0 {
		line += fmt.Sprintf(": fact-adaptive accuracy %.3f–%.3f, mean ‖J‖ at the keys %.3g–%.3g", s.FactAdaptiveMin, s.FactAdaptiveMax, s.KeysMin, s.KeysMax)
	}
	line += "."
	if s.Note != "" {
		line += " Last failure: " + s.Note + "."
	}
	return line
}
