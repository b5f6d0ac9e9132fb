package transformer

import (
	"fmt"
	"math"
	"sort"

	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/fit"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// ScalingStudy is the paper's Figure 4: for each method, fact count and
// seed, the smallest fact-MLP width at which the Transformer reaches the
// fact-adaptive threshold (TransformerCapacity), beside the smallest width
// that stores the same facts standalone. It is JSON-encodable (a
// notebook's cache key); CacheDir is not part of it.
type ScalingStudy struct {
	Dim     int
	Facts   []int    // fact counts F, ascending
	Methods []string // registered method names (MLPMethod: ReLU gate)
	Seeds   []uint64 // one fact set, MLP and Transformer per seed
	Family  string   // embedding family (default spherical)
	Task    string   // TaskPresets name ("": authors-9junk)
	// Training: DefaultTrainOptions with these overrides (0: default).
	Steps, Batch int
	LR           float64
	EvalSeqs     int // sequences per evaluation, rounded up to a multiple of F (default 2000)
	Capacity     CapacityOptions
	// CacheDir keeps every standalone search and Transformer trial on
	// disk (diskcache); "" caches nothing.
	CacheDir string `json:"-"`
}

// ScalingPoint is one (method, F, seed) of a ScalingStudy.
type ScalingPoint = CapacityResult

// RunConfig is the SSFR set-up of one point.
func (s ScalingStudy) RunConfig(methodName string, facts int, seed uint64) (RunConfig, error) {
	task, err := TaskByName(s.Task, facts)
	if err != nil {
		return RunConfig{}, err
	}
	opt := DefaultTrainOptions()
	if s.Steps > 0 {
		opt.Steps = s.Steps
	}
	if s.Batch > 0 {
		opt.Batch = s.Batch
	}
	if s.LR > 0 {
		opt.LR = s.LR
	}
	opt.Seed = seed
	ev := s.EvalSeqs
	if ev == 0 {
		ev = 2000
	}
	return RunConfig{Facts: factset.Spec{Family: s.Family, N: facts, Dim: s.Dim, Seed: seed}, Method: methodName, Seed: seed,
		Task: task, Train: opt, EvalSeqs: ev, EvalEveryFact: true}, nil
}

// Run measures every point, F ascending per method and seed: each
// Transformer search starts at the standalone minimum times the ratio
// Transformer/standalone found at the previous F (a bracket; the search
// still steps down to the standalone minimum if that start passes).
func (s ScalingStudy) Run(prog progress.Func) ([]ScalingPoint, error) {
	if s.Dim < 2 || len(s.Facts) == 0 || len(s.Methods) == 0 || len(s.Seeds) == 0 {
		return nil, fmt.Errorf("transformer: scaling study needs dim ≥ 2 and at least one F, method and seed; got dim %d, F %v, methods %v, seeds %v", s.Dim, s.Facts, s.Methods, s.Seeds)
	}
	if !sort.IntsAreSorted(s.Facts) {
		return nil, fmt.Errorf("transformer: scaling study fact counts %v; accepted: ascending", s.Facts)
	}
	var cache *diskcache.Cache
	if s.CacheDir != "" {
		cache = &diskcache.Cache{Dir: s.CacheDir}
	}
	total := len(s.Methods) * len(s.Seeds) * len(s.Facts)
	var out []ScalingPoint
	for _, m := range s.Methods {
		for _, seed := range s.Seeds {
			ratio := 1.0
			for _, F := range s.Facts {
				cfg, err := s.RunConfig(m, F, seed)
				if err != nil {
					return nil, err
				}
				o := s.Capacity
				o.Cache = cache
				done := len(out)
				o.Progress = func(_, _ int, note string) { prog.Report(done, total, note) }
				o.StartFactor = ratio
				r, err := TransformerCapacity(cfg, o)
				if err != nil {
					return nil, fmt.Errorf("transformer: scaling study %s F=%d seed %d: %w", m, F, seed, err)
				}
				if r.MinHidden > 0 && r.StandaloneHidden > 0 {
					ratio = float64(r.MinHidden) / float64(r.StandaloneHidden)
				}
				out = append(out, *r)
				prog.Report(len(out), total, fmt.Sprintf("%s F=%d seed %d: Transformer h=%d, standalone h=%d", m, F, seed, r.MinHidden, r.StandaloneHidden))
			}
		}
	}
	return out, nil
}

// ScalingFit is the power law F ∝ params^Slope of one method, in the
// Transformer or standalone, fitted on log₂–log₂ axes over every seed's
// point (the authors' polyfit(log₂ W, log₂ F, 1)).
type ScalingFit struct {
	Method string `table:"method"`
	Where  string `table:"MLP"` // "in Transformer" or "standalone"
	fit.Line
	// Dropped names the points left out: no width up to the search's
	// maximum reached the threshold (a capped point).
	Dropped []string `table:"dropped"`
}

// ScalingFits fits facts against parameters for each method of points,
// in the Transformer and standalone; points without a width are dropped
// and named. A method with fewer than two distinct F is skipped.
func ScalingFits(points []ScalingPoint) []ScalingFit {
	var methods []string
	seen := map[string]bool{}
	for _, p := range points {
		if !seen[p.Method] {
			seen[p.Method] = true
			methods = append(methods, p.Method)
		}
	}
	var out []ScalingFit
	for _, m := range methods {
		for _, where := range []string{InTransformer, Standalone} {
			var xs, ys []float64
			var dropped []string
			for _, p := range points {
				if p.Method != m {
					continue
				}
				params := p.MinParams
				if where == Standalone {
					params = p.StandaloneParams
				}
				if params <= 0 {
					dropped = append(dropped, fmt.Sprintf("F=%d seed %d", p.Facts, p.Seed))
					continue
				}
				xs, ys = append(xs, float64(params)), append(ys, float64(p.Facts))
			}
			l, err := fit.PowerLaw(xs, ys)
			if err != nil {
				continue
			}
			out = append(out, ScalingFit{Method: m, Where: where, Line: l, Dropped: dropped})
		}
	}
	return out
}

// ScalingRow summarises one (method, F) of a ScalingStudy over its seeds.
type ScalingRow struct {
	Method string `table:"method"`
	Facts  int    `table:"F"`
	Seeds  int    `table:"seeds"`
	// Mean parameters of the smallest MLP, standalone and in the
	// Transformer (over the seeds that found one).
	StandaloneParams  float64 `table:"standalone params" fmt:"%.0f"`
	TransformerParams float64 `table:"Transformer params" fmt:"%.0f"`
	// Ratio Transformer/standalone width: mean, min and max over seeds.
	Ratio    float64 `table:"width ratio" fmt:"%.2f"`
	RatioMin float64 `table:"ratio min" fmt:"%.2f"`
	RatioMax float64 `table:"ratio max" fmt:"%.2f"`
	// Fact-adaptive accuracy of the Transformer trained with an MLP of
	// exactly the standalone minimum width: min and max over seeds (NaN
	// when no trial ran there).
	AtStandaloneMin float64 `table:"fact-ad. at standalone width, min" fmt:"%.4f"`
	AtStandaloneMax float64 `table:"max" fmt:"%.4f"`
	Capped          int     `table:"capped"` // seeds where no width up to the maximum reached the threshold
}

// ScalingRows summarises points by method and F (in the order they first
// appear).
func ScalingRows(points []ScalingPoint) []ScalingRow {
	type key struct {
		m string
		f int
	}
	var order []key
	groups := map[key][]ScalingPoint{}
	for _, p := range points {
		k := key{p.Method, p.Facts}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], p)
	}
	var out []ScalingRow
	for _, k := range order {
		r := ScalingRow{Method: k.m, Facts: k.f, RatioMin: math.Inf(1), RatioMax: math.Inf(-1), AtStandaloneMin: math.Inf(1), AtStandaloneMax: math.Inf(-1)}
		var ns, nt float64
		for _, p := range groups[k] {
			r.Seeds++
			if p.StandaloneParams > 0 {
				r.StandaloneParams += float64(p.StandaloneParams)
				ns++
			}
			if p.MinHidden == 0 {
				r.Capped++
			} else if p.StandaloneHidden > 0 {
				q := float64(p.MinHidden) / float64(p.StandaloneHidden)
				r.TransformerParams += float64(p.MinParams)
				r.Ratio += q
				r.RatioMin, r.RatioMax = math.Min(r.RatioMin, q), math.Max(r.RatioMax, q)
				nt++
			}
			for _, t := range p.Trials {
				if t.Hidden == p.StandaloneHidden {
					r.AtStandaloneMin, r.AtStandaloneMax = math.Min(r.AtStandaloneMin, t.FactAdaptive), math.Max(r.AtStandaloneMax, t.FactAdaptive)
				}
			}
		}
		r.StandaloneParams /= ns
		r.TransformerParams /= nt
		r.Ratio /= nt
		if nt == 0 {
			r.RatioMin, r.RatioMax = math.NaN(), math.NaN()
		}
		if math.IsInf(r.AtStandaloneMin, 1) {
			r.AtStandaloneMin, r.AtStandaloneMax = math.NaN(), math.NaN()
		}
		out = append(out, r)
	}
	return out
}

// FitFor returns the fit of method m in where ("in Transformer" or
// "standalone") among fits, and whether there is one.
func FitFor(fits []ScalingFit, m, where string) (ScalingFit, bool) {
	for _, f := range fits {
		if f.Method == m && f.Where == where {
			return f, true
		}
	}
	return ScalingFit{}, false
}
