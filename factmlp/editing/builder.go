package editing

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/training"
)

// Builder makes a fact-storing MLP of the given hidden width for fs. MLP
// swapping calls the same builder, with the same width and seed, on the
// edited fact set. It is method.BuildFunc: method.Verified turns any method
// of package method into one.
type Builder = method.BuildFunc

// LeastSquares is method.LeastSquares as a Builder, for tests and small
// fact sets: random SiLU features and a least-squares down projection, exact
// with hidden ≥ |K|. It does not require the MLP to store (BuildBase checks
// the fact MLP).
func LeastSquares(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
	b, err := method.LeastSquares{}.Prepare(fs, seed)
	if err != nil {
		return nil, err
	}
	g, _, err := b.Build(hidden)
	return g, err
}

// GD is a Builder that trains the MLP by gradient descent with the
// factmlp/training package: SiLU gate, MSE to the target values (the
// successor code's fact-editing MLP), training the whole budget so the
// margin keeps growing after every fact decodes.
func GD(epochs int) Builder { return GDWithLoss(epochs, training.MSE) }

// GDWithLoss is GD with another training loss (training.CE or training.MSE).
// A run that does not store every fact in float64 trains once more with
// twice the epochs (a swapped-in MLP's new permutation can be harder).
func GDWithLoss(epochs int, loss training.Loss) Builder {
	m := method.GD{Options: training.Options{Act: mlp.SiLU, Loss: loss, LR: 1e-2, Epochs: epochs, KeepGoing: true}, Retries: 1}
	return func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
		b, err := m.Prepare(fs, seed)
		if err != nil {
			return nil, err
		}
		g, rep, err := b.Build(hidden)
		if err != nil {
			return nil, err
		}
		if rep.Accuracy != 1 {
			return nil, fmt.Errorf("editing: GD fact MLP (hidden %d, %d then %d epochs) stores only %s; use a wider MLP", hidden, epochs, 2*epochs, rep)
		}
		return g, nil
	}
}
