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

// The closed-form Jacobian's spectral norm (power iteration) equals the
// spectral norm of the Jacobian GoMLX autodiff computes.
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
		got := JacobianNorm(g, x, 200, 1)
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

func TestMeasureLipschitz(t *testing.T) {
	g := randomGated(64, 16, mlp.SiLU, 5)
	keys := factset.Spherical(20, 16, rng.New(6))
	l, err := MeasureLipschitz(g, keys, 10, 100, 50, 1e-5, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !(l.Empirical > 0 && l.Empirical <= l.Max*(1+1e-3)) {
		t.Errorf("empirical ratio %v must be positive and at most the spectral bound %v", l.Empirical, l.Max)
	}
	if !(l.Mean <= l.Max && l.RawMean <= l.RawMax && l.Keys == 10) {
		t.Errorf("inconsistent summary %+v", l)
	}
	// Scaling the output scales the raw constant but not the relative one.
	g2 := *g
	var down mat.Dense
	down.Scale(10, g.Down)
	g2.Down = &down
	l2, _ := MeasureLipschitz(&g2, keys, 10, 100, 0, 1e-5, 7)
	if math.Abs(l2.Max-l.Max) > 1e-9*l.Max || math.Abs(l2.RawMax-10*l.RawMax) > 1e-9*l2.RawMax {
		t.Errorf("relative %v vs %v, raw %v vs 10×%v", l2.Max, l.Max, l2.RawMax, l.RawMax)
	}
	if _, err := MeasureLipschitz(g, factset.Spherical(3, 5, rng.New(1)), 0, 10, 0, 1e-5, 1); err == nil {
		t.Error("keys of the wrong dimension were accepted")
	}
}
