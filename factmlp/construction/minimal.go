package construction

import (
	"errors"
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// Minimal is the smallest MLP a method found that stores a fact set.
type Minimal struct {
	Method              string
	Hidden              int // hidden width h
	CodeDim             int // m (encdec only)
	Units               int // units per code coordinate (encdec only)
	Params              int // all stored parameters (3hd + biases)
	ParamsWithoutSeeded int // without tensors regenerated from the seed
	MLP                 *mlp.Gated
	Info                *Info
	Probes              int // constructions tried
}

// MinimalOptions configures MinimalWidth.
type MinimalOptions struct {
	Seed uint64
	Act  mlp.Activation
	// MaxHidden bounds the NTK search (default 1<<16).
	MaxHidden int
	// Separators, if not nil, are reused by encdec.
	Separators *Separators
	Progress   progress.Func
}

// Methods that MinimalWidth and the CLI accept for closed-form constructions.
var Methods = []string{"encdec", "ntk"}

// MinimalWidth finds the smallest hidden width at which method ("encdec" or
// "ntk") stores fs, with mlp.Verify as the predicate.
//
// encdec: the hidden width is m·u (m code dimensions, u units per
// coordinate). u starts at ⌈|K|/d⌉, the fewest giving as many unknowns as
// equations, and m at the smallest code dimension whose decoder passes the
// decode check (a binary search over m; the check is necessary for any
// encoder). m then grows until the MLP verifies; u grows only if the
// encoder system is singular at every m.
//
// ntk: integer binary search over h between a failing and a passing width,
// the upper end found by doubling from d.
func MinimalWidth(fs *factset.FactSet, method string, opts MinimalOptions) (*Minimal, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	switch method {
	case "encdec":
		return minimalEncDec(fs, opts)
	case "ntk":
		return minimalNTK(fs, opts)
	}
	return nil, fmt.Errorf("construction: unknown method %q for minimal width; accepted: encdec, ntk", method)
}

func minimalEncDec(fs *factset.FactSet, opts MinimalOptions) (*Minimal, error) {
	F, d := fs.NumFacts(), fs.Dim()
	sep := opts.Separators
	if sep == nil {
		var err error
		if sep, err = ComputeSeparators(fs); err != nil {
			return nil, err
		}
	}
	u0 := (F + d - 1) / d
	var lastErr error
	probes := 0
	for u := u0; u <= 2*u0+2; u++ {
		probes++
		g, info, err := EncDec(fs, Options{Seed: opts.Seed, Act: opts.Act, Units: u, Separators: sep})
		opts.Progress.Report(u-u0+1, u0+3, fmt.Sprintf("units=%d", u))
		if err == nil {
			return &Minimal{Method: "encdec", Hidden: g.Hidden(), CodeDim: info.CodeDim, Units: u,
				Params: g.Params(), ParamsWithoutSeeded: g.ParamsWithoutSeeded(), MLP: g, Info: info, Probes: probes}, nil
		}
		lastErr = err
	}
	return nil, fmt.Errorf("construction: encdec found no storing width: %w", lastErr)
}

func minimalNTK(fs *factset.FactSet, opts MinimalOptions) (*Minimal, error) {
	maxH := opts.MaxHidden
	if maxH <= 0 {
		maxH = 1 << 16
	}
	probes := 0
	try := func(h int) (*mlp.Gated, *Info, bool, error) {
		probes++
		g, info, err := NTK(fs, h, NTKOptions{Seed: opts.Seed, Act: opts.Act})
		if info == nil && err != nil {
			return nil, nil, false, err
		}
		opts.Progress.Report(probes, 0, fmt.Sprintf("h=%d stores=%v", h, err == nil))
		return g, info, err == nil, nil
	}
	lo, hi := 0, fs.Dim()
	var best *mlp.Gated
	var bestInfo *Info
	for {
		g, info, ok, err := try(hi)
		if err != nil {
			return nil, err
		}
		if ok {
			best, bestInfo = g, info
			break
		}
		lo = hi
		if hi >= maxH {
			return nil, fmt.Errorf("construction: the NTK baseline does not store the %d facts at any hidden width up to %d (last: %v)", fs.NumFacts(), maxH, info.Report)
		}
		hi = min(2*hi, maxH)
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		g, info, ok, err := try(mid)
		if err != nil {
			return nil, err
		}
		if ok {
			hi, best, bestInfo = mid, g, info
		} else {
			lo = mid
		}
	}
	if best == nil {
		return nil, errors.New("construction: NTK search ended without a storing width")
	}
	return &Minimal{Method: "ntk", Hidden: hi, Params: best.Params(), ParamsWithoutSeeded: best.ParamsWithoutSeeded(),
		MLP: best, Info: bestInfo, Probes: probes}, nil
}
