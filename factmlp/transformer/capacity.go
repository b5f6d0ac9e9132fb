package transformer

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
)

// CapacityOptions bound TransformerCapacity. Zero values take the defaults
// noted.
type CapacityOptions struct {
	// Threshold is the fact-adaptive accuracy a width must reach (default
	// 0.99): the swapped-in fresh MLP, every fact asked (EvaluateEveryFact).
	Threshold float64
	Lo, Hi    int // widths searched (defaults 4 and 4096)
	// StartFactor places the first Transformer width at StartFactor × the
	// standalone minimum (default 1; values below 1 are raised to 1, since
	// the Transformer's MLP must at least store the facts).
	StartFactor float64
	RelTol      float64 // relative precision of the Transformer width (default 0.1)
	// MaxFactor, if > 0, also caps the Transformer width at MaxFactor ×
	// the standalone minimum (a point that needs more is reported capped).
	MaxFactor float64 `json:",omitempty"`
	// Cache stores every standalone search and Transformer trial (nil:
	// nothing is cached), so a rerun is instant.
	Cache    *diskcache.Cache `json:"-"`
	Progress progress.Func    `json:"-"`
}

func (o CapacityOptions) withDefaults() (CapacityOptions, error) {
	if o.Threshold == 0 {
		o.Threshold = 0.99
	}
	if o.Lo == 0 {
		o.Lo = 4
	}
	if o.Hi == 0 {
		o.Hi = 4096
	}
	if !(o.MaxFactor >= 0) {
		return o, fmt.Errorf("transformer: capacity max factor %g; accepted: ≥ 0 (0: no cap but Hi)", o.MaxFactor)
	}
	if !(o.StartFactor >= 0) {
		return o, fmt.Errorf("transformer: capacity start factor %g; accepted: ≥ 0 (0: 1)", o.StartFactor)
	}
	if o.RelTol == 0 {
		o.RelTol = 0.1
	}
	switch {
	case !(o.Threshold > 0 && o.Threshold <= 1):
		return o, fmt.Errorf("transformer: capacity threshold %g; accepted: (0, 1]", o.Threshold)
	case o.Lo < 1 || o.Hi < o.Lo:
		return o, fmt.Errorf("transformer: capacity widths [%d, %d]; accepted: 1 ≤ lo ≤ hi", o.Lo, o.Hi)
	case !(o.RelTol > 0 && o.RelTol < 1):
		return o, fmt.Errorf("transformer: capacity relative tolerance %g; accepted: (0, 1)", o.RelTol)
	}
	return o, nil
}

// CapacityTrial is one MLP width trained inside the Transformer.
type CapacityTrial struct {
	Hidden, Params       int
	Recall, FactAdaptive float64 // every fact asked
	Steps                int
	Passed               bool    // FactAdaptive ≥ the threshold
	Seconds              float64 // of the run that measured it (cached trials keep it)
	// Note says why a width has no measurement (the method cannot store
	// the training map or the fresh map at this width); empty otherwise.
	Note string `json:",omitempty"`
}

// CapacityResult is the smallest MLP width at which the Transformer reaches
// the fact-adaptive threshold, next to the smallest width that stores the
// facts standalone.
type CapacityResult struct {
	Method           string
	Facts, Dim       int
	Seed             uint64
	Threshold        float64
	MinHidden        int // in the Transformer (0: none up to Hi)
	MinParams        int
	Recall           float64 // at MinHidden
	FactAdaptive     float64 // at MinHidden
	StandaloneHidden int     // smallest width that stores the facts alone (0: none up to Hi)
	StandaloneParams int
	Trials           []CapacityTrial // in the order they ran
}

// TransformerCapacity searches the smallest MLP width at which cfg's
// Transformer reaches fact-adaptive accuracy ≥ opts.Threshold with every
// fact asked (the successor's paper_evalacc100_hidden_dim search, with our
// training settings), starting from the smallest width at which the method
// stores the facts standalone (StandaloneSearch, also returned).
// cfg.Hidden and cfg.EvalEveryFact are set per trial.
func TransformerCapacity(cfg RunConfig, opts CapacityOptions) (*CapacityResult, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	spec, err := cfg.Facts.Normalize()
	if err != nil {
		return nil, err
	}
	fs, err := spec.Generate()
	if err != nil {
		return nil, err
	}
	mm, err := cfg.mlpMethod()
	if err != nil {
		return nil, err
	}
	cfg.Facts, cfg.EvalEveryFact = spec, true
	out := &CapacityResult{Method: mm.Name(), Facts: fs.NumFacts(), Dim: fs.Dim(), Seed: cfg.Seed, Threshold: opts.Threshold}
	type standaloneKey struct {
		Facts         any
		Method        string
		Seed          uint64
		Start, Lo, Hi int
	}
	var sa [2]int
	sk := standaloneKey{spec, cfg.Method, cfg.Seed, opts.Lo, opts.Lo, opts.Hi}
	if cfg.MLP != nil {
		sk.Method = "custom:" + cfg.MLP.Name()
	}
	if ok, err := opts.Cache.Load("ssfr-standalone", sk, &sa); err != nil || !ok {
		if sa[0], sa[1], err = StandaloneSearch(fs, mm, cfg.Seed, opts.Lo, opts.Lo, opts.Hi); err != nil {
			return nil, err
		}
		if err := opts.Cache.Store("ssfr-standalone", sk, sa); err != nil {
			return nil, err
		}
	}
	out.StandaloneHidden, out.StandaloneParams = sa[0], sa[1]
	if out.StandaloneHidden == 0 {
		return out, nil // no width stores the facts at all
	}
	trial := func(h int) (CapacityTrial, error) {
		key := trialKey(cfg, h, sk.Method)
		var t CapacityTrial
		if ok, err := opts.Cache.Load("ssfr-trial", key, &t); err != nil {
			return t, err
		} else if ok {
			return t, nil
		}
		c := cfg
		c.Hidden = h
		t0 := time.Now()
		r, err := Run(c)
		t = CapacityTrial{Hidden: h, Seconds: time.Since(t0).Seconds()}
		switch {
		case err != nil && noMLPAtWidth(err):
			t.Note = err.Error()
		case err != nil:
			return t, err
		default:
			t.Params, t.Recall, t.FactAdaptive, t.Steps = r.MLPParams, r.Recall.Accuracy, r.FactAdaptive.Accuracy, r.Train.Steps
			t.Passed = t.FactAdaptive >= opts.Threshold
		}
		return t, opts.Cache.Store("ssfr-trial", key, t)
	}
	pred := func(h int) (bool, int, error) {
		t, err := trial(h)
		if err != nil {
			return false, 0, err
		}
		out.Trials = append(out.Trials, t)
		opts.Progress.Report(len(out.Trials), 0, fmt.Sprintf("%s F=%d seed %d: h=%d fact-adaptive %.4f", out.Method, out.Facts, out.Seed, h, t.FactAdaptive))
		return t.Passed, t.Params, nil
	}
	start := max(int(math.Round(opts.StartFactor*float64(out.StandaloneHidden))), out.StandaloneHidden)
	hi := opts.Hi
	if opts.MaxFactor > 0 {
		hi = min(hi, max(out.StandaloneHidden, int(opts.MaxFactor*float64(out.StandaloneHidden))))
	}
	sr, err := widthsearch.Search(pred, widthsearch.Options{Start: min(start, hi), Min: out.StandaloneHidden, Max: hi, RelTol: opts.RelTol})
	if err != nil {
		return nil, err
	}
	out.MinHidden, out.MinParams = sr.MinHidden, sr.MinParams
	for _, t := range out.Trials {
		if t.Hidden == out.MinHidden && t.Passed {
			out.Recall, out.FactAdaptive = t.Recall, t.FactAdaptive
		}
	}
	return out, nil
}

// trialKey is what one Transformer trial's result depends on.
func trialKey(cfg RunConfig, hidden int, methodKey string) any {
	t := cfg.Train
	if t.Steps == 0 {
		t = DefaultTrainOptions()
	}
	task := cfg.Task
	if task == (Task{}) {
		task = DefaultTask(cfg.Facts.N)
	}
	return struct {
		Facts                              any
		Method                             string
		Hidden                             int
		Seed                               uint64
		Task                               Task
		Ablation                           Ablation
		RoPEBase                           float64
		Steps, Batch, Warmup, StopWindow   int
		LR, WeightDecay, Beta1, Beta2, Eps float64
		StopAccuracy                       float64
		TrainSeed                          uint64
		EvalSeqs                           int
		EveryFact                          bool
	}{cfg.Facts, methodKey, hidden, cfg.Seed, task, cfg.Ablation, cfg.RoPEBase,
		t.Steps, t.Batch, t.Warmup, t.StopWindow, t.LR, t.WeightDecay, t.Beta1, t.Beta2, t.Eps, t.StopAccuracy, t.Seed,
		cfg.EvalSeqs, cfg.EvalEveryFact}
}

// noMLPAtWidth reports whether err says the method has no storing MLP at
// the width asked (for the training map or the fresh swap map): that width
// counts as not passing rather than failing the search.
func noMLPAtWidth(err error) bool {
	return method.IsWidthError(err) || strings.Contains(err.Error(), "does not store the facts")
}
