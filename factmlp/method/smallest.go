package method

import (
	"errors"
	"fmt"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
)

// SmallestOptions bound Smallest. Zero values take the defaults noted.
type SmallestOptions struct {
	Start int // first width tried (default: the builder's FirstWidth)
	Min   int // smallest width considered (default 1)
	Max   int // largest width considered (default 1<<16)
	// RelTol stops the bisection once hi − lo ≤ max(1, RelTol·hi); 0
	// finds the exact threshold.
	RelTol   float64
	Progress progress.Func
}

// Minimal is the smallest MLP a method found that stores a fact set.
type Minimal struct {
	Method              string
	Hidden              int // hidden width h
	CodeDim             int // m (encoder–decoder methods)
	Units               int // units per code coordinate (encdec)
	Params              int // all stored parameters (3hd + biases)
	ParamsWithoutSeeded int // without tensors regenerated from the seed
	MLP                 *mlp.Gated
	Report              mlp.Report
	Probes              int                 // builds tried
	Trials              []widthsearch.Trial // the width search's trials (none for encdec's own search)
}

// ErrNoWidth says that no width in the searched range stores the facts.
var ErrNoWidth = errors.New("method: no hidden width in the range stores the facts")

// Smallest finds the smallest MLP of b that stores its fact set in float64
// and float32 (mlp.Report.Stores) with the method's own strategy: the
// encoder–decoder construction searches its units per code coordinate
// (see EncDec; opts but Progress are ignored), every other method runs
// Search.
func Smallest(b Builder, opts SmallestOptions) (*Minimal, error) {
	if s, ok := b.(interface {
		smallest(SmallestOptions) (*Minimal, error)
	}); ok {
		return s.smallest(opts)
	}
	return Search(b, opts)
}

// Search finds the smallest hidden width at which b's MLP stores its fact
// set in float64 and float32 with widthsearch.Search; a width that cannot be
// built counts as not storing. It returns an error wrapping ErrNoWidth when
// no width up to opts.Max stores.
func Search(b Builder, opts SmallestOptions) (*Minimal, error) {
	if opts.Start == 0 {
		opts.Start = b.FirstWidth()
	}
	var best *mlp.Gated
	var bestH int
	var bestRep, last mlp.Report
	pred := func(h int) (bool, int, error) {
		g, rep, err := b.Build(h)
		if IsWidthError(err) {
			return false, 0, nil
		}
		if err != nil {
			return false, 0, err
		}
		last = rep
		ok := rep.Stores()
		// The search ends on its smallest storing width; keep that MLP.
		if ok && (best == nil || h < bestH) {
			best, bestH, bestRep = g, h, rep
		}
		return ok, g.Params(), nil
	}
	so := widthsearch.Options{Start: opts.Start, Min: opts.Min, Max: opts.Max, RelTol: opts.RelTol, Progress: opts.Progress}
	sr, err := widthsearch.Search(pred, so)
	if err != nil {
		return nil, err
	}
	if !sr.Found || best == nil || bestH != sr.MinHidden {
		maxH := so.Max
		if maxH == 0 {
			maxH = 1 << 16
		}
		return nil, fmt.Errorf("%w: none up to %d (%d widths tried; last built: %v)", ErrNoWidth, maxH, len(sr.Trials), last)
	}
	return &Minimal{Method: best.Method, Hidden: sr.MinHidden, CodeDim: best.CodeDim, Params: sr.MinParams,
		ParamsWithoutSeeded: best.ParamsWithoutSeeded(), MLP: best, Report: bestRep, Probes: len(sr.Trials), Trials: sr.Trials}, nil
}
