package method

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// LookupTable is mlp.Lookup, one ReLU unit per key: its default and
// smallest width is the number of facts; wider MLPs get zero units.
type LookupTable struct{}

// Name is "lookup".
func (LookupTable) Name() string { return "lookup" }

// Prepare builds the lookup MLP of fs (seed is only recorded).
func (LookupTable) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	g, err := mlp.Lookup(fs)
	if err != nil {
		return nil, err
	}
	g.Seed = seed
	return lookupBuilder{fs, g}, nil
}

type lookupBuilder struct {
	fs *factset.FactSet
	g  *mlp.Gated
}

func (b lookupBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	g := b.g
	switch n := b.fs.NumFacts(); {
	case hidden > n:
		var err error
		if g, err = mlp.Widen(b.g, hidden); err != nil {
			return nil, mlp.Report{}, err
		}
	case hidden != 0 && hidden < n:
		return nil, mlp.Report{}, &WidthError{"lookup", hidden, fmt.Errorf("the lookup MLP needs one unit per fact (%d)", n)}
	default:
		// A copy, so callers may change it.
		c := *g
		c.Gate, c.Up, c.Down = mat.DenseCopyOf(g.Gate), mat.DenseCopyOf(g.Up), mat.DenseCopyOf(g.Down)
		c.GateBias, c.UpBias = append([]float64(nil), g.GateBias...), append([]float64(nil), g.UpBias...)
		g = &c
	}
	rep, err := mlp.Verify(g, b.fs)
	return g, rep, err
}

func (b lookupBuilder) FirstWidth() int { return b.fs.NumFacts() }

// LeastSquares draws random Gate and Up rows (N(0, 1/d) entries, SiLU gate)
// and fits the down projection by least squares so that the outputs equal
// the target values; with hidden ≥ |K| the fit interpolates. It is cheap,
// so tests and small experiments use it. It has no default width.
type LeastSquares struct{}

// Name is "lstsq".
func (LeastSquares) Name() string { return "lstsq" }

// Prepare checks fs.
func (LeastSquares) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	return lstsqBuilder{fs, seed}, nil
}

type lstsqBuilder struct {
	fs   *factset.FactSet
	seed uint64
}

func (b lstsqBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	if hidden < 1 {
		return nil, mlp.Report{}, fmt.Errorf("method lstsq: hidden width %d; lstsq needs a hidden width ≥ 1", hidden)
	}
	d := b.fs.Dim()
	// The stream name predates the move from package editing; it stays so
	// that the same seed gives the same MLP.
	r := rng.Derive(b.seed, "editing/leastsquares")
	g := &mlp.Gated{Gate: factset.Gaussian(hidden, d, r), Up: factset.Gaussian(hidden, d, r), Down: mat.NewDense(d, hidden, nil),
		Act: mlp.SiLU, Method: "lstsq", Seed: b.seed}
	H := g.HiddenActivations(b.fs.Keys) // n×h
	var X mat.Dense                     // h×d with H X = targets
	if err := X.Solve(H, b.fs.Targets()); err != nil {
		return nil, mlp.Report{}, &WidthError{"lstsq", hidden, fmt.Errorf("least-squares fit failed: %w", err)}
	}
	g.Down.Copy(X.T())
	rep, err := mlp.Verify(g, b.fs)
	return g, rep, err
}

func (b lstsqBuilder) FirstWidth() int { return b.fs.NumFacts() }
