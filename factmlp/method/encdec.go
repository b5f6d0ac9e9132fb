package method

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// EncDec is the encoder–decoder construction (construction.EncDec). Its
// default width is the construction's default (the smallest code dimension
// that decodes, ⌈1.25·|K|/d⌉ units per code coordinate); Smallest runs the
// construction's own search over the units per coordinate.
type EncDec struct {
	Act     mlp.Activation // gate (default ReLU)
	CodeDim int            // code dimension m (0: the smallest that decodes)
	// NoRefine keeps every code exactly R·u*_v (construction.Options):
	// the plain JL decoder whose code dimension follows ρ⁻² (registered as
	// "encdec-norefine").
	NoRefine bool
	// Separators, if not nil, are the fact set's separators computed
	// earlier; Build refuses them for another fact set.
	Separators *construction.Separators
	Progress   progress.Func
}

// Name is "encdec", or "encdec-norefine" without code refinement.
func (m EncDec) Name() string {
	if m.NoRefine {
		return "encdec-norefine"
	}
	return "encdec"
}

// Prepare computes the optimal separators of fs once for every width.
func (m EncDec) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	sep := m.Separators
	if sep == nil {
		var err error
		if sep, err = construction.ComputeSeparators(fs); err != nil {
			return nil, err
		}
	} else if err := fs.Validate(); err != nil {
		return nil, err
	}
	return &encdecBuilder{m: m, fs: fs, seed: seed, sep: sep}, nil
}

type encdecBuilder struct {
	m    EncDec
	fs   *factset.FactSet
	seed uint64
	sep  *construction.Separators
}

func (b *encdecBuilder) options() construction.Options {
	return construction.Options{Seed: b.seed, Act: b.m.Act, CodeDim: b.m.CodeDim, NoRefine: b.m.NoRefine, Separators: b.sep, Progress: b.m.Progress}
}

// Build runs the construction at width hidden; the construction verifies
// its result, so every failure means this width does not store.
func (b *encdecBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	o := b.options()
	o.Hidden = hidden
	g, info, err := construction.EncDec(b.fs, o)
	if err != nil {
		return nil, mlp.Report{}, &WidthError{b.m.Name(), hidden, err}
	}
	if hidden > 0 && g.Hidden() > hidden {
		return nil, mlp.Report{}, &WidthError{b.m.Name(), hidden, fmt.Errorf("the construction needed %d units", g.Hidden())}
	}
	return g, info.Report, nil
}

// FirstWidth is at least ⌈|K|/d⌉, the fewest units giving as many encoder
// unknowns as equations at code dimension 1.
func (b *encdecBuilder) FirstWidth() int {
	F, d := b.fs.NumFacts(), b.fs.Dim()
	return max(firstGuess(b.fs), (F+d-1)/d)
}

// smallest is the construction's structured search: the width is m·u, so
// instead of a search over h it grows u from ⌈|K|/d⌉ with m chosen by the
// decode check (construction.MinimalEncDec). At a fixed code dimension it
// tries the square encoder system (u = ⌈|K|/d⌉) and, if that is singular,
// the default slack.
func (b *encdecBuilder) smallest(opts SmallestOptions) (*Minimal, error) {
	if b.m.CodeDim == 0 {
		mn, err := construction.MinimalEncDec(b.fs, construction.MinimalOptions{Seed: b.seed, Act: b.m.Act, NoRefine: b.m.NoRefine, Separators: b.sep, Progress: opts.Progress})
		if err != nil {
			return nil, err
		}
		return &Minimal{Method: b.m.Name(), Hidden: mn.Hidden, CodeDim: mn.CodeDim, Units: mn.Units, Params: mn.Params,
			ParamsWithoutSeeded: mn.ParamsWithoutSeeded, MLP: mn.MLP, Report: mn.Info.Report, Probes: mn.Probes}, nil
	}
	o := b.options()
	o.Units = (b.fs.NumFacts() + b.fs.Dim() - 1) / b.fs.Dim()
	probes := 1
	g, info, err := construction.EncDec(b.fs, o)
	if err != nil {
		probes++
		o.Units = 0
		g, info, err = construction.EncDec(b.fs, o)
	}
	if err != nil {
		return nil, err
	}
	return &Minimal{Method: b.m.Name(), Hidden: g.Hidden(), CodeDim: info.CodeDim, Units: info.Units, Params: g.Params(),
		ParamsWithoutSeeded: g.ParamsWithoutSeeded(), MLP: g, Report: info.Report, Probes: probes}, nil
}

// WhitenedEncDec builds the encoder–decoder MLP for the values whitened
// with strength Alpha (geometry.Whitener) and folds W_α into the down
// projection, so the MLP decodes against the original values: whitening
// raises the capacity and the Lipschitz constant (notebook 06).
type WhitenedEncDec struct {
	Alpha float64
	EncDec
}

// Name is "encdec" (whitening is a setting of the construction).
func (WhitenedEncDec) Name() string { return "encdec" }

// Prepare whitens the values of fs and prepares the construction on them.
func (m WhitenedEncDec) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	w, err := geometry.NewWhitener(fs.Values, m.Alpha, 0)
	if err != nil {
		return nil, err
	}
	e := m.EncDec
	e.Separators = nil // the whitened values have their own
	inner, err := e.Prepare(w.FactSet(fs), seed)
	if err != nil {
		return nil, err
	}
	return &whitenedBuilder{m: m, fs: fs, w: w, inner: inner}, nil
}

type whitenedBuilder struct {
	m     WhitenedEncDec
	fs    *factset.FactSet
	w     *geometry.Whitener
	inner Builder
}

func (b *whitenedBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	g, _, err := b.inner.Build(hidden)
	if err != nil {
		return nil, mlp.Report{}, err
	}
	g.Down, g.DownBias = b.w.FoldDown(g.Down, g.DownBias)
	g.Method = fmt.Sprintf("encdec-whiten%.2g", b.m.Alpha)
	rep, err := mlp.Verify(g, b.fs)
	return g, rep, err
}

func (b *whitenedBuilder) FirstWidth() int { return b.inner.FirstWidth() }
