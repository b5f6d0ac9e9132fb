package transformer

import (
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

func randomGated(h, d int, act mlp.Activation, seed uint64) *mlp.Gated {
	r := rng.New(seed)
	return &mlp.Gated{Gate: factset.Gaussian(h, d, r), Up: factset.Gaussian(h, d, r), Down: factset.Gaussian(d, h, r),
		GateBias: factset.Gaussian(1, h, r).RawRowView(0), Act: act}
}

// The closed-form Jacobian's spectral norm (mlp.JacobianNorm, power
// iteration) equals the spectral norm of the Jacobian GoMLX autodiff computes
// through the Transformer's MLP graph.
func TestJacobianClosedFormMatchesAutodiff(t *testing.T) {
	for _, act := range []mlp.Activation{mlp.ReLU, mlp.SiLU, mlp.Identity} {
		g := randomGated(40, 12, act, 3)
		x := factset.Spherical(1, 12, rng.New(4)).RawRowView(0)
		J, err := JacobianGoMLX(g, x)
		if err != nil {
			t.Fatal(err)
		}
		var svd mat.SVD
		if !svd.Factorize(J, mat.SVDNone) {
			t.Fatal("svd failed")
		}
		want := svd.Values(nil)[0]
		got := mlp.JacobianNorm(g, x, 200, 1)
		if math.Abs(got-want) > 1e-6*want {
			t.Errorf("%s: power iteration %v, autodiff Jacobian spectral norm %v", act, got, want)
		}
		// Finite differences agree with the autodiff Jacobian, column by column.
		const h = 1e-6
		y0 := g.Forward(mat.NewDense(1, 12, x))
		for c := 0; c < 12; c++ {
			xp := append([]float64(nil), x...)
			xp[c] += h
			y1 := g.Forward(mat.NewDense(1, 12, xp))
			for r := 0; r < 12; r++ {
				fd := (y1.At(0, r) - y0.At(0, r)) / h
				if math.Abs(fd-J.At(r, c)) > 1e-4*(1+math.Abs(fd)) {
					t.Fatalf("%s: J[%d,%d] autodiff %v, finite difference %v", act, r, c, J.At(r, c), fd)
				}
			}
		}
	}
}
