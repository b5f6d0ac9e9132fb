package mlp_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// Verify is the exact check every fact MLP must pass: for every key, the
// correct value has the largest dot product with the MLP's output.
func ExampleVerify() {
	// Three orthonormal keys, one hidden unit per key.
	keys := mat.NewDense(3, 3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1})
	fs := factset.NewUntied(keys, factset.Spherical(3, 3, rng.New(1)), rng.New(2))
	down := mat.NewDense(3, 3, nil)
	for i, j := range fs.Map {
		down.SetCol(i, fs.Values.RawRowView(j))
	}
	g := &mlp.Gated{Gate: keys, Up: keys, Down: down, Act: mlp.ReLU}
	rep, _ := mlp.Verify(g, fs)
	fmt.Println(rep.Correct, "of", rep.Facts, "stored; params:", g.Params())
	// Output: 3 of 3 stored; params: 27
}
