package capacity

import (
	"cmp"
	"fmt"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/training"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
)

// GD holds the gradient-descent settings of the trained methods (gd,
// encdec-gd). Zero values take the defaults of package training (lr 1e-2,
// 2000 epochs, CE; MSE for encdec-gd).
type GD struct {
	LR       float64 `json:"lr,omitempty"`
	Epochs   int     `json:"epochs,omitempty"`
	Loss     string  `json:"loss,omitempty"`
	Bias     bool    `json:"bias,omitempty"`
	MaxBatch int     `json:"max_batch,omitempty"`
	CodeDim  int     `json:"code_dim,omitempty"` // code dimension of encdec and encdec-gd (0: smallest that decodes)
}

// Point is one capacity measurement: a method on a generated fact set.
type Point struct {
	Method string       `json:"method"` // a registered name (method.Names)
	Facts  factset.Spec `json:"factset"`
	// Act is the gate non-linearity; default the method's
	// (method.Entry.DefaultAct: identity for gd, the paper's GD capacity
	// sweeps; relu for the constructions).
	Act string `json:"act,omitempty"`
	// Keys "spherical" draws the keys as independent spherical unit vectors
	// (bijective map) while the values follow Facts, so only the value
	// geometry varies; "" takes the keys from Facts (tied: keys = values).
	Keys string `json:"keys,omitempty"`
	Seed uint64 `json:"seed"` // seeds the method (the fact set has its own seed in Facts)
	GD   GD     `json:"gd,omitzero"`
	// Search bounds (Start 0: a method-specific guess; a Start given for a
	// method that trains is taken as a neighbouring point's width, see
	// widthsearch.Options.Near).
	Start  int     `json:"start,omitempty"`
	Max    int     `json:"max,omitempty"`
	RelTol float64 `json:"rel_tol,omitempty"`
}

// Normalize fills defaults and checks the point.
func (p Point) Normalize() (Point, error) {
	entry, err := method.Lookup(p.Method)
	if err != nil {
		return p, err
	}
	p.Method = entry.Name
	spec, err := p.Facts.Normalize()
	if err != nil {
		return p, err
	}
	p.Facts = spec
	switch p.Keys {
	case "", "spherical":
	default:
		return p, fmt.Errorf("capacity: keys %q; accepted: \"\" (from the fact-set spec) or \"spherical\"", p.Keys)
	}
	if p.Act == "" {
		p.Act = string(entry.DefaultAct)
	}
	act, err := mlp.ParseActivation(p.Act)
	if err != nil {
		return p, err
	}
	p.Act = string(act)
	if p.GD.Loss != "" {
		l, err := training.ParseLoss(p.GD.Loss)
		if err != nil {
			return p, err
		}
		p.GD.Loss = string(l)
	}
	if p.Max == 0 {
		p.Max = cmp.Or(entry.SearchMax, 1<<16)
	}
	if p.Max < 0 || p.Start < 0 || !(p.RelTol >= 0 && p.RelTol < 1) {
		return p, fmt.Errorf("capacity: start %d, max %d, rel_tol %g; need start, max ≥ 0 and 0 ≤ rel_tol < 1", p.Start, p.Max, p.RelTol)
	}
	return p, nil
}

// Result is one measured point; its JSON is what `factmlp capacity --json`
// prints.
type Result struct {
	Method    string `json:"method"`
	Facts     int    `json:"facts"`
	Dim       int    `json:"dim"`
	MinHidden int    `json:"min_hidden"` // 0 when no width up to the maximum stores the facts
	MinParams int    `json:"min_params"`
	// ParamsWithoutSeeded is MinParams less the seeded random matrices the
	// MLP at MinHidden names (mlp.Gated.ParamsWithoutSeeded; 0 when not found).
	ParamsWithoutSeeded int `json:"params_without_seeded,omitempty"`
	// CodeDim is the code dimension m of an encoder–decoder MLP at
	// MinHidden (0 for methods without one, or when not found).
	CodeDim int     `json:"code_dim,omitempty"`
	Rho     float64 `json:"rho"`
	Trials  []Trial `json:"trials"`
	Seconds float64 `json:"seconds"`
}

// Found reports whether some width stored the facts.
func (r *Result) Found() bool { return r.MinHidden > 0 }

// Options are the run-time settings of Measure that do not change its
// result (and so are not part of the cache key).
type Options struct {
	Cache    *Cache
	Progress progress.Func
	// Rho, if positive, is used as the decodability of the fact set instead
	// of computing it (the sweep computes it once per fact set).
	Rho float64
	// Trainer trains gd's MLPs (nil: training.Train); Sweep passes a
	// training.Together's Train to train seeds side by side (same results).
	Trainer func(*factset.FactSet, training.Options) (*training.Result, error)
}

// Measure finds the smallest hidden width at which p.Method stores the fact
// set p.Facts, reading and writing the cache.
func Measure(p Point, opts Options) (*Result, error) {
	p, err := p.Normalize()
	if err != nil {
		return nil, err
	}
	var res Result
	if ok, err := opts.Cache.Load("point", p, &res); err != nil {
		return nil, err
	} else if ok && (!res.Found() || res.ParamsWithoutSeeded > 0) {
		return &res, nil
	} // a found point cached before ParamsWithoutSeeded existed is measured again (its trials are cached)
	start := time.Now()
	fs, err := p.FactSet()
	if err != nil {
		return nil, err
	}
	rho := opts.Rho
	if rho <= 0 {
		if rho, err = Rho(fs, opts.Cache, p.Facts); err != nil {
			return nil, err
		}
	}
	pred, guess, seen, err := predicate(p, fs, opts.Cache, opts.Trainer)
	if err != nil {
		return nil, err
	}
	entry, err := method.Lookup(p.Method)
	if err != nil {
		return nil, err
	}
	// A trained method runs a failing width to the end of its epoch budget
	// and stops a storing one early: step down from a storing guess rather
	// than halve (widthsearch.Options.Descend); a start given with the point
	// is taken as a neighbour's result, stepped from both ways
	// (widthsearch.Options.Near).
	so := widthsearch.Options{Start: cmp.Or(p.Start, guess), Max: p.Max, RelTol: p.RelTol, Descend: entry.Trains,
		Near: entry.Trains && p.Start > 0, Progress: opts.Progress}
	cached := CachedPredicate(opts.Cache, p, pred)
	sr, err := widthsearch.Search(cached, so)
	if err != nil {
		return nil, err
	}
	res = Result{Method: p.Method, Facts: fs.NumFacts(), Dim: fs.Dim(), Rho: rho,
		Trials: sr.Trials, Seconds: time.Since(start).Seconds()}
	if sr.Found {
		res.MinHidden, res.MinParams = sr.MinHidden, sr.MinParams
		b, ok := seen[sr.MinHidden]
		if !ok { // the trial came from the cache
			if ok, err = opts.Cache.Load("built", builtKey{p, sr.MinHidden}, &b); err != nil {
				return nil, err
			}
		}
		if !ok { // a trial cached before "built" was stored: build that width again
			if _, _, err := pred(sr.MinHidden); err != nil {
				return nil, err
			}
			if b, ok = seen[sr.MinHidden]; !ok {
				return nil, fmt.Errorf("capacity: %s at width %d: no MLP was built to count its parameters", p.Method, sr.MinHidden)
			}
		}
		res.ParamsWithoutSeeded, res.CodeDim = b.ParamsWithoutSeeded, b.CodeDim
	}
	if err := opts.Cache.Store("point", p, res); err != nil {
		return nil, err
	}
	return &res, nil
}

// FactSet generates the point's fact set.
func (p Point) FactSet() (*factset.FactSet, error) {
	if p.Keys != "spherical" {
		return p.Facts.Generate()
	}
	spec, err := p.Facts.Normalize()
	if err != nil {
		return nil, err
	}
	values, err := spec.Table(spec.N, "values")
	if err != nil {
		return nil, err
	}
	keys := factset.Spherical(spec.Keys, spec.Dim, rng.Derive(spec.Seed, "spherical-keys"))
	fs := factset.NewUntied(keys, values, rng.Derive(spec.Seed, "map"))
	return fs, fs.Validate()
}

// Rho computes the decodability ρ of the values that are some key's target
// (cached under the fact-set spec when c is not nil).
func Rho(fs *factset.FactSet, c *Cache, spec factset.Spec) (float64, error) {
	var rho float64
	if ok, _ := c.Load("rho", spec, &rho); ok {
		return rho, nil
	}
	seen := make([]bool, fs.NumValues())
	var anchors []int
	for _, j := range fs.Map {
		if !seen[j] {
			seen[j] = true
			anchors = append(anchors, j)
		}
	}
	r, err := geometry.Decodability(fs.Values, geometry.Options{Anchors: anchors})
	if err != nil {
		return 0, err
	}
	if err := c.Store("rho", spec, r.Rho); err != nil {
		return 0, err
	}
	return r.Rho, nil
}

// Settings are the method settings of the point.
func (p Point) Settings() method.Settings {
	return method.Settings{Act: mlp.Activation(p.Act), CodeDim: p.GD.CodeDim,
		Train: training.Options{Bias: p.GD.Bias, Loss: training.Loss(p.GD.Loss), LR: p.GD.LR, Epochs: p.GD.Epochs, MaxBatch: p.GD.MaxBatch}}
}

// built is what Measure keeps of the MLP built at one width besides the
// trial: its parameters without the seeded matrices and its code dimension.
type built struct {
	ParamsWithoutSeeded int `json:"params_without_seeded"`
	CodeDim             int `json:"code_dim"`
}

type builtKey struct {
	Point  Point `json:"point"`
	Hidden int   `json:"hidden"`
}

// predicate returns the success predicate of p's method on fs (float64
// exact argmax, the paper's capacity criterion) and a first width to try.
// Each width it builds also stores the MLP's unseeded parameter count and
// code dimension in c under ("built", {p, h}).
func predicate(p Point, fs *factset.FactSet, c *Cache, trainer func(*factset.FactSet, training.Options) (*training.Result, error)) (widthsearch.Predicate, int, map[int]built, error) {
	s := p.Settings()
	s.Trainer = trainer
	m, err := method.New(p.Method, s)
	if err != nil {
		return nil, 0, nil, err
	}
	b, err := m.Prepare(fs, p.Seed)
	if err != nil {
		return nil, 0, nil, err
	}
	seen := map[int]built{}
	return func(h int) (bool, int, error) {
		g, rep, err := b.Build(h)
		if method.IsWidthError(err) {
			return false, 3 * h * fs.Dim(), nil // counted as the plain gated MLP of that width
		}
		if err != nil {
			return false, 0, err
		}
		seen[h] = built{g.ParamsWithoutSeeded(), g.CodeDim}
		if err := c.Store("built", builtKey{p, h}, seen[h]); err != nil {
			return false, 0, err
		}
		return rep.Accuracy == 1, g.Params(), nil
	}, b.FirstWidth(), seen, nil
}
