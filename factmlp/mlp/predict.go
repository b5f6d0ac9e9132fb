package mlp

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Predict returns, for each key of fs, the index of the value whose inner
// product with the MLP's output is largest (float64; a tie goes to the
// lower index): what the MLP answers, right or wrong.
func Predict(g *Gated, fs *factset.FactSet) ([]int, error) {
	if err := g.Check(); err != nil {
		return nil, err
	}
	if g.Dim() != fs.Dim() {
		return nil, fmt.Errorf("mlp: the MLP has dimension %d but the fact set has dimension %d", g.Dim(), fs.Dim())
	}
	var logits mat.Dense
	logits.Mul(g.Forward(fs.Keys), fs.Values.T())
	out := make([]int, fs.NumFacts())
	for i := range out {
		out[i] = floats.MaxIdx(logits.RawRowView(i))
	}
	return out, nil
}
