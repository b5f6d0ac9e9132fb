package capacity

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/training"
)

// Methods lists the methods Measure knows.
var Methods = []string{"gd", "encdec", "encdec-gd", "ntk"}

// GD holds the gradient-descent settings of the gd and encdec-gd methods.
// Zero values take the defaults of package training (lr 1e-2, 2000 epochs,
// CE; MSE for encdec-gd).
type GD struct {
	LR       float64 `json:"lr,omitempty"`
	Epochs   int     `json:"epochs,omitempty"`
	Loss     string  `json:"loss,omitempty"`
	Bias     bool    `json:"bias,omitempty"`
	MaxBatch int     `json:"max_batch,omitempty"`
	CodeDim  int     `json:"code_dim,omitempty"` // encdec-gd code dimension (0: smallest that decodes)
}

// Point is one capacity measurement: a method on a generated fact set.
type Point struct {
	Method string       `json:"method"`
	Facts  factset.Spec `json:"factset"`
	// Act is the gate non-linearity; default identity for gd (the paper's
	// GD capacity sweeps), relu for the others.
	Act string `json:"act,omitempty"`
	// Keys "spherical" draws the keys as independent spherical unit vectors
	// (bijective map) while the values follow Facts, so only the value
	// geometry varies; "" takes the keys from Facts (tied: keys = values).
	Keys string `json:"keys,omitempty"`
	Seed uint64 `json:"seed"` // seeds the method (the fact set has its own seed in Facts)
	GD   GD     `json:"gd,omitzero"`
	// Search bounds (Start 0: a method-specific guess).
	Start  int     `json:"start,omitempty"`
	Max    int     `json:"max,omitempty"`
	RelTol float64 `json:"rel_tol,omitempty"`
}

// Normalize fills defaults and checks the point.
func (p Point) Normalize() (Point, error) {
	p.Method = strings.ToLower(strings.TrimSpace(p.Method))
	known := false
	for _, m := range Methods {
		known = known || m == p.Method
	}
	if !known {
		return p, fmt.Errorf("capacity: unknown method %q; accepted: %s", p.Method, strings.Join(Methods, ", "))
	}
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
		p.Act = string(mlp.ReLU)
		if p.Method == "gd" {
			p.Act = string(mlp.Identity)
		}
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
		p.Max = 1 << 16
		if p.Method == "ntk" {
			p.Max = 1 << 14 // the NTK saturates: past a d-dependent F no width stores
		}
	}
	if p.Max < 0 || p.Start < 0 || p.RelTol < 0 || p.RelTol >= 1 {
		return p, fmt.Errorf("capacity: start %d, max %d, rel_tol %g; need start, max ≥ 0 and 0 ≤ rel_tol < 1", p.Start, p.Max, p.RelTol)
	}
	return p, nil
}

// Result is one measured point; its JSON is what `factmlp capacity --json`
// prints.
type Result struct {
	Method    string  `json:"method"`
	Facts     int     `json:"facts"`
	Dim       int     `json:"dim"`
	MinHidden int     `json:"min_hidden"` // 0 when no width up to the maximum stores the facts
	MinParams int     `json:"min_params"`
	Rho       float64 `json:"rho"`
	Trials    []Trial `json:"trials"`
	Seconds   float64 `json:"seconds"`
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
	} else if ok {
		return &res, nil
	}
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
	pred, guess, err := predicate(p, fs)
	if err != nil {
		return nil, err
	}
	so := SearchOptions{Start: p.Start, Max: p.Max, RelTol: p.RelTol, Progress: opts.Progress}
	if so.Start == 0 {
		so.Start = guess
	}
	cached := CachedPredicate(opts.Cache, p, pred)
	sr, err := Search(cached, so)
	if err != nil {
		return nil, err
	}
	res = Result{Method: p.Method, Facts: fs.NumFacts(), Dim: fs.Dim(), Rho: rho,
		Trials: sr.Trials, Seconds: time.Since(start).Seconds()}
	if sr.Found {
		res.MinHidden, res.MinParams = sr.MinHidden, sr.MinParams
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

// NTKBuilder builds the NTK baseline at hidden width h (default: NTK in
// ntk.go). Tests or callers may replace it.
var NTKBuilder = NTK

// predicate returns the success predicate of p's method on fs and a first
// width to try.
func predicate(p Point, fs *factset.FactSet) (Predicate, int, error) {
	F, d := fs.NumFacts(), fs.Dim()
	act := mlp.Activation(p.Act)
	// GD-trained MLPs store a few tenths of a fact per parameter (F ≈ 0.8·h·d
	// measured at d = 32), so the first guess is h = 1.25·F/d.
	guess := max(1, int(math.Ceil(1.25*float64(F)/float64(d))))
	switch p.Method {
	case "gd":
		o := training.Options{Act: act, Bias: p.GD.Bias, Loss: training.Loss(p.GD.Loss), LR: p.GD.LR,
			Epochs: p.GD.Epochs, MaxBatch: p.GD.MaxBatch, Seed: p.Seed}
		return func(h int) (bool, int, error) {
			o.Hidden = h
			r, err := training.Train(fs, o)
			if err != nil {
				return false, 0, err
			}
			return r.Stored, r.MLP.Params(), nil
		}, guess, nil
	case "encdec-gd":
		R, codes, err := construction.Decoder(fs.Values, p.Seed, p.GD.CodeDim)
		if err != nil {
			return nil, 0, err
		}
		m, _ := R.Dims()
		o := training.EncDecOptions{R: R, Codes: codes, Options: training.Options{Act: act, Bias: p.GD.Bias,
			Loss: training.Loss(p.GD.Loss), LR: p.GD.LR, Epochs: p.GD.Epochs, MaxBatch: p.GD.MaxBatch, Seed: p.Seed}}
		return func(h int) (bool, int, error) {
			o.Hidden = h
			r, err := training.EncDecGD(fs, o)
			if err != nil {
				return false, 0, err
			}
			return r.Stored, r.MLP.Params(), nil
		}, max(guess, m), nil
	case "encdec":
		sep, err := construction.ComputeSeparators(fs)
		if err != nil {
			return nil, 0, err
		}
		return func(h int) (bool, int, error) {
			g, _, err := construction.EncDec(fs, construction.Options{Seed: p.Seed, Act: act, Hidden: h, Separators: sep})
			if err != nil {
				// Too few units for the encoder system, or a result that
				// does not verify: this width does not store the facts.
				return false, 3 * h * d, nil
			}
			if g.Hidden() > h {
				// The construction needed more units than allowed.
				return false, 3 * h * d, nil
			}
			rep, err := mlp.Verify(g, fs)
			if err != nil {
				return false, 0, err
			}
			return rep.Accuracy == 1, g.Params(), nil
		}, max(guess, int(math.Ceil(float64(F)/float64(d)))), nil
	case "ntk":
		if NTKBuilder == nil {
			return nil, 0, errors.New("capacity: the ntk method is not available (no NTK construction registered)")
		}
		return func(h int) (bool, int, error) {
			g, err := NTKBuilder(fs, h, act, p.Seed)
			if err != nil {
				return false, 0, err
			}
			rep, err := mlp.Verify(g, fs)
			if err != nil {
				return false, 0, err
			}
			return rep.Accuracy == 1, g.Params(), nil
		}, max(guess, 4*d), nil
	}
	return nil, 0, fmt.Errorf("capacity: unknown method %q", p.Method)
}
