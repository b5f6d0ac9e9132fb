package geometry

import (
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

func TestWhitenerKeepsDotProductDecoding(t *testing.T) {
	fs, err := factset.Spec{Family: "conditioned", N: 300, Dim: 12, Kappa: 50, Seed: 1}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWhitener(fs.Values, 0.7, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := rng.New(2)
	yt := factset.Gaussian(40, 12, r) // outputs emitted in whitened space
	vt := w.Values(fs.Values)
	var logitsWhite, logitsBack mat.Dense
	logitsWhite.Mul(yt, vt.T())
	logitsBack.Mul(w.MapBack(yt), fs.Values.T())
	if !mat.EqualApprox(&logitsWhite, &logitsBack, 1e-10) {
		t.Fatal("⟨W ỹ, v⟩ differs from ⟨ỹ, W v⟩")
	}
	// Folding W into a down projection gives the same outputs.
	down := factset.Gaussian(12, 7, r)
	bias := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	h := factset.Gaussian(5, 7, r)
	fd, fb := w.FoldDown(down, bias)
	var yWhite, yFold mat.Dense
	yWhite.Mul(h, down.T())
	for i := 0; i < 5; i++ {
		for k := 0; k < 12; k++ {
			yWhite.Set(i, k, yWhite.At(i, k)+bias[k])
		}
	}
	yFold.Mul(h, fd.T())
	for i := 0; i < 5; i++ {
		for k := 0; k < 12; k++ {
			yFold.Set(i, k, yFold.At(i, k)+fb[k])
		}
	}
	if !mat.EqualApprox(w.MapBack(&yWhite), &yFold, 1e-10) {
		t.Fatal("FoldDown differs from mapping the output back")
	}
	// W and WInv are inverse.
	var id mat.Dense
	id.Mul(w.W, w.WInv)
	if !mat.EqualApprox(&id, eye(12), 1e-9) {
		t.Fatal("W·W⁻¹ ≠ I")
	}
}

func eye(d int) *mat.Dense {
	m := mat.NewDense(d, d, nil)
	for i := 0; i < d; i++ {
		m.Set(i, i, 1)
	}
	return m
}

func TestWhitenerLimits(t *testing.T) {
	v := factset.Gaussian(500, 8, rng.New(3))
	w0, _ := NewWhitener(v, 0, 0)
	if !mat.EqualApprox(w0.W, eye(8), 1e-12) || w0.OpNorm != 1 {
		t.Fatal("α = 0 should be the identity")
	}
	cv, _ := factset.Condition(v, 30)
	w1, _ := NewWhitener(cv, 1, 1e-12)
	vt := w1.Values(cv)
	var s mat.SymDense
	s.SymOuterK(1/500.0, vt.T())
	// Fully whitened values have an isotropic second moment (∝ I).
	scale := s.At(0, 0)
	for a := 0; a < 8; a++ {
		for b := 0; b < 8; b++ {
			want := 0.0
			if a == b {
				want = scale
			}
			if math.Abs(s.At(a, b)-want) > 1e-8 {
				t.Fatalf("whitened second moment not isotropic at (%d,%d): %v", a, b, s.At(a, b))
			}
		}
	}
	if w1.OpNorm <= 1 {
		t.Fatalf("full whitening of an anisotropic set should have ‖W‖ > 1, got %v", w1.OpNorm)
	}
	for _, c := range []struct {
		alpha, eps float64
		want       string
	}{{-0.1, 0, "α = -0.1; it must be in [0, 1]"}, {1.5, 0, "α = 1.5"}, {0.5, -1, "ε = -1"}, {math.NaN(), 0, "α = NaN"}} {
		if _, err := NewWhitener(v, c.alpha, c.eps); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("α=%v ε=%v: want %q, got %v", c.alpha, c.eps, c.want, err)
		}
	}
}

// Whitening undoes linear anisotropy, so it raises ρ on conditioned sets.
// (It need not help a spiked-then-normalised set, whose anisotropy is not
// linear: see notebook 01.)
func TestWhiteningRaisesRho(t *testing.T) {
	for _, spec := range []factset.Spec{
		{Family: "conditioned", N: 200, Dim: 8, Kappa: 30, Seed: 4},
		{Family: "conditioned", N: 300, Dim: 16, Kappa: 10, Seed: 5},
		{Family: "conditioned", N: 100, Dim: 4, Kappa: 100, Untied: true, Keys: 300, Seed: 6},
	} {
		fs, _ := spec.Generate()
		rep, _, err := DecodabilityWhitened(fs.Values, 1, 0, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: ρ %.4f → %.4f (‖W‖ = %.2f)", spec, rep.Before.Rho, rep.After.Rho, rep.OpNorm)
		if !(rep.After.Rho > rep.Before.Rho) {
			t.Errorf("%s: whitening did not raise ρ: %v → %v", spec, rep.Before.Rho, rep.After.Rho)
		}
	}
}
