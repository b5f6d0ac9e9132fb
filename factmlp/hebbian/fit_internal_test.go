package hebbian

import (
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"gonum.org/v1/gonum/mat"
)

// The conjugate-gradient solve of the feature fit satisfies its normal
// equations, and the fitted projection lowers the score loss below the
// random one it starts from.
func TestFitProjectionSolvesNormalEquations(t *testing.T) {
	fs, err := factset.Spec{N: 30, Dim: 6, Seed: 2}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	K, V := fs.Keys, fs.Targets()
	a0, a1 := drawFeatures(9, 6, 1)
	W := rawReadout(V, features(a0, a1, K))
	var G, C mat.Dense
	G.Mul(V.T(), V)
	C.Mul(a0, K.T())
	const lambda = 1e-6
	X, err := fitProjection(&C, K, V, W, &G, lambda)
	if err != nil {
		t.Fatal(err)
	}
	var t1, rhs, lhs mat.Dense
	t1.Mul(W.T(), V.T())
	t1.MulElem(&t1, &C)
	rhs.Mul(&t1, K)
	(&fitOp{C: &C, K: K, W: W, G: &G, lambda: lambda}).apply(&lhs, X)
	lhs.Sub(&lhs, &rhs)
	if r := math.Sqrt(dot(&lhs, &lhs) / dot(&rhs, &rhs)); r > 1e-8 {
		t.Fatalf("relative residual of the normal equations %.3g; want ≤ 1e-8", r)
	}
	loss := func(a *mat.Dense) float64 { // Σ_i ‖V W (c_i ⊙ A k_i) − e_i‖² + λ‖A‖²
		var f, y, s mat.Dense
		f.Mul(a, K.T())
		f.MulElem(&f, &C)
		y.Mul(W, &f)
		s.Mul(V, &y) // F×F scores
		for i := 0; i < fs.NumFacts(); i++ {
			s.Set(i, i, s.At(i, i)-1)
		}
		return dot(&s, &s) + lambda*dot(a, a)
	}
	if fit, start := loss(X), loss(a1); !(fit < start) {
		t.Fatalf("fitted loss %.4g is not below the random start's %.4g", fit, start)
	}
}
