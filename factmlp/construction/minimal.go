package construction

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
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

// MinimalOptions configures MinimalEncDec and MinimalNTK.
type MinimalOptions struct {
	Seed uint64
	Act  mlp.Activation
	// MaxHidden bounds MinimalNTK's search (default 1<<16).
	MaxHidden int
	// Separators, if not nil, are reused by encdec.
	Separators *Separators
	Progress   progress.Func
}

// MinimalEncDec finds the smallest encoder–decoder MLP that stores fs. The
// hidden width is m·u (m code dimensions, u units per coordinate). u starts
// at ⌈|K|/d⌉, the fewest giving as many unknowns as equations, and m at the
// smallest code dimension whose decoder passes the decode check (a binary
// search over m; the check is necessary for any encoder). m then grows
// until the MLP verifies; u grows only if the encoder system is singular at
// every m.
func MinimalEncDec(fs *factset.FactSet, opts MinimalOptions) (*Minimal, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
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

// MinimalNTK finds the smallest width at which the NTK baseline stores fs in
// float64 and float32: a width search (package widthsearch) up from h = d,
// doubling, then bisecting exactly, up to opts.MaxHidden.
func MinimalNTK(fs *factset.FactSet, opts MinimalOptions) (*Minimal, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	maxH := opts.MaxHidden
	if maxH <= 0 {
		maxH = 1 << 16
	}
	var best *mlp.Gated
	var bestInfo, last *Info
	bestH := 0
	stores := func(h int) (bool, int, error) {
		g, info, err := NTK(fs, h, NTKOptions{Seed: opts.Seed, Act: opts.Act})
		if info == nil && err != nil {
			return false, 0, err
		}
		last = info
		if err == nil && (best == nil || h < bestH) {
			best, bestInfo, bestH = g, info, h
		}
		return err == nil, 3 * h * fs.Dim(), nil
	}
	sr, err := widthsearch.Search(stores, widthsearch.Options{Start: fs.Dim(), Max: maxH, Progress: opts.Progress})
	if err != nil {
		return nil, err
	}
	if !sr.Found || bestH != sr.MinHidden {
		return nil, fmt.Errorf("construction: the NTK baseline does not store the %d facts at any hidden width up to %d (last: %v)", fs.NumFacts(), maxH, last.Report)
	}
	return &Minimal{Method: "ntk", Hidden: bestH, Params: best.Params(), ParamsWithoutSeeded: best.ParamsWithoutSeeded(),
		MLP: best, Info: bestInfo, Probes: len(sr.Trials)}, nil
}
