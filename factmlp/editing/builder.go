package editing

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/training"
	"gonum.org/v1/gonum/mat"
)

// Builder makes a fact-storing MLP of the given hidden width for fs. MLP
// swapping calls the same builder, with the same width and seed, on the
// edited fact set.
type Builder func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error)

// LeastSquares is a Builder for tests and small fact sets: random Gate and
// Up rows (N(0, 1/d) entries, SiLU gate) and the down-projection fitted by
// least squares so that the outputs equal the target values. With
// hidden ≥ |K| the fit is exact (interpolation).
func LeastSquares(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	if hidden < 1 {
		return nil, fmt.Errorf("editing: hidden width %d; it must be ≥ 1", hidden)
	}
	d := fs.Dim()
	r := rng.Derive(seed, "editing/leastsquares")
	g := &mlp.Gated{Gate: factset.Gaussian(hidden, d, r), Up: factset.Gaussian(hidden, d, r), Down: mat.NewDense(d, hidden, nil),
		Act: mlp.SiLU, Method: "lstsq", Seed: seed}
	H := g.HiddenActivations(fs.Keys) // n×h
	var X mat.Dense                   // h×d with H X = targets
	if err := X.Solve(H, fs.Targets()); err != nil {
		return nil, fmt.Errorf("editing: least-squares fit failed: %w", err)
	}
	g.Down.Copy(X.T())
	return g, nil
}

// GD is a Builder that trains the MLP by gradient descent with the
// factmlp/training package: SiLU gate, MSE to the target values (the
// successor code's fact-editing MLP), training the whole budget so the
// margin keeps growing after every fact decodes.
func GD(epochs int) Builder { return GDWithLoss(epochs, training.MSE) }

// GDWithLoss is GD with another training loss (training.CE or training.MSE).
func GDWithLoss(epochs int, loss training.Loss) Builder {
	return func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
		// One retry with twice the budget: a hard map (a swapped-in MLP's
		// new permutation) sometimes needs more epochs.
		var res *training.Result
		for attempt, ep := 0, epochs; attempt < 2; attempt, ep = attempt+1, 2*ep {
			var err error
			res, err = training.Train(fs, training.Options{Hidden: hidden, Act: mlp.SiLU, Loss: loss, LR: 1e-2,
				Epochs: ep, Seed: seed, KeepGoing: true})
			if err != nil {
				return nil, err
			}
			if res.Stored {
				break
			}
		}
		if !res.Stored {
			return nil, fmt.Errorf("editing: GD fact MLP (hidden %d, %d then %d epochs) stores only %s; use a wider MLP", hidden, epochs, 2*epochs, res.Report)
		}
		return res.MLP, nil
	}
}
