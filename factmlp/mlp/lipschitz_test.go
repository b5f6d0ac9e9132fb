package mlp

import (
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

func randomGatedBias(h, d int, act Activation, seed uint64) *Gated {
	r := rng.New(seed)
	return &Gated{Gate: factset.Gaussian(h, d, r), Up: factset.Gaussian(h, d, r), Down: factset.Gaussian(d, h, r),
		GateBias: factset.Gaussian(1, h, r).RawRowView(0), Act: act}
}

// The power iteration's ‖J(x)‖₂ equals the largest singular value of the
// finite-difference Jacobian (package transformer cross-checks it against
// GoMLX autodiff too).
func TestJacobianNormMatchesFiniteDifferences(t *testing.T) {
	for _, act := range []Activation{ReLU, SiLU, Identity} {
		g := randomGatedBias(40, 12, act, 3)
		x := factset.Spherical(1, 12, rng.New(4)).RawRowView(0)
		const eps = 1e-6
		J := mat.NewDense(12, 12, nil)
		y0 := g.Forward(mat.NewDense(1, 12, x))
		for c := 0; c < 12; c++ {
			xp := append([]float64(nil), x...)
			xp[c] += eps
			y1 := g.Forward(mat.NewDense(1, 12, xp))
			for r := 0; r < 12; r++ {
				J.Set(r, c, (y1.At(0, r)-y0.At(0, r))/eps)
			}
		}
		var svd mat.SVD
		if !svd.Factorize(J, mat.SVDNone) {
			t.Fatal("svd failed")
		}
		want := svd.Values(nil)[0]
		if got := JacobianNorm(g, x, 200, 1); math.Abs(got-want) > 1e-4*want {
			t.Errorf("%s: power iteration %v, finite-difference spectral norm %v", act, got, want)
		}
	}
}

func TestMeasureLipschitz(t *testing.T) {
	g := randomGatedBias(64, 16, SiLU, 5)
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
	for _, bad := range [][3]float64{{0, 0, 1e-5}, {10, -1, 1e-5}, {10, 0, 0}, {10, 0, math.NaN()}} {
		if _, err := MeasureLipschitz(g, keys, 0, int(bad[0]), int(bad[1]), bad[2], 1); err == nil {
			t.Errorf("iters %v, dirs %v, eps %v were accepted", bad[0], bad[1], bad[2])
		}
	}
}

func TestLookupStoresAndWiden(t *testing.T) {
	fs, err := factset.Spec{N: 40, Dim: 16, Seed: 3}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	g, err := Lookup(fs)
	if err != nil {
		t.Fatal(err)
	}
	if g.Hidden() != 40 || g.Params() != 3*40*16+2*40 {
		t.Fatalf("lookup: hidden %d, params %d", g.Hidden(), g.Params())
	}
	rep, err := Verify(g, fs)
	if err != nil || !rep.Stores() {
		t.Fatalf("lookup does not store: %v %v", rep, err)
	}
	w, err := Widen(g, 50)
	if err != nil {
		t.Fatal(err)
	}
	if w.Hidden() != 50 || len(w.GateBias) != 50 || w.DownBias != nil {
		t.Fatalf("widened: hidden %d, gate bias %d", w.Hidden(), len(w.GateBias))
	}
	if !mat.Equal(w.Forward(fs.Keys), g.Forward(fs.Keys)) {
		t.Fatal("widening changed the outputs")
	}
	if _, err := Widen(g, 39); err == nil {
		t.Fatal("narrowing must be an error")
	}
	// Two equal keys cannot be told apart by a threshold.
	dup := &factset.FactSet{Keys: mat.NewDense(2, 2, []float64{1, 0, 1, 0}), Values: mat.NewDense(2, 2, []float64{1, 0, 0, 1}), Map: []int{0, 1}}
	if _, err := Lookup(dup); err == nil {
		t.Fatal("equal keys must be an error")
	}
}
