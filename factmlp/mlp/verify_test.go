package mlp

import (
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// lookup builds an exact MLP for a fact set with orthonormal keys: one hidden
// unit per key, the identity gate is ⟨k_i, x⟩, up is ⟨k_i, x⟩ again, so unit i
// fires 1 on key i and 0 elsewhere, and down writes v_f(i).
func lookup(fs *factset.FactSet, act Activation) *Gated {
	n, d := fs.NumFacts(), fs.Dim()
	down := mat.NewDense(d, n, nil)
	for i, j := range fs.Map {
		down.SetCol(i, fs.Values.RawRowView(j))
	}
	return &Gated{Gate: mat.DenseCopyOf(fs.Keys), Up: mat.DenseCopyOf(fs.Keys), Down: down, Act: act}
}

func orthonormalFacts(n int) *factset.FactSet {
	keys := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		keys.Set(i, i, 1)
	}
	return factset.NewUntied(keys, factset.Spherical(n, n, rng.New(3)), rng.New(4))
}

func TestVerifyExactLookup(t *testing.T) {
	for _, act := range []Activation{Identity, ReLU, SiLU} {
		fs := orthonormalFacts(16)
		rep, err := Verify(lookup(fs, act), fs)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Stores() || rep.Accuracy != 1 || rep.Accuracy32 != 1 {
			t.Fatalf("%s: exact lookup MLP not verified: %v", act, rep)
		}
		if rep.MinMargin <= 0 || math.Abs(rep.MinMargin-rep.MinMargin32) > 1e-5 {
			t.Fatalf("%s: margins %v (float64) and %v (float32) should agree and be positive", act, rep.MinMargin, rep.MinMargin32)
		}
	}
}

func TestVerifyCatchesOneWrongFact(t *testing.T) {
	fs := orthonormalFacts(16)
	g := lookup(fs, ReLU)
	// Point key 5's unit at another value: exactly that fact must fail.
	g.Down.SetCol(5, fs.Values.RawRowView((fs.Map[5]+1)%16))
	rep, err := Verify(g, fs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Correct != 15 || len(rep.Wrong) != 1 || rep.Wrong[0] != 5 || rep.MinMargin >= 0 {
		t.Fatalf("want exactly key 5 wrong with negative margin, got %v wrong=%v", rep, rep.Wrong)
	}
	if rep.Stores() {
		t.Fatal("Stores() true for an MLP that misses a fact")
	}
}

func TestVerifyMarginMatchesDefinition(t *testing.T) {
	fs := factset.NewTied(factset.Spherical(30, 8, rng.New(1)), rng.New(2))
	r := rng.New(5)
	g := &Gated{Gate: factset.Gaussian(12, 8, r), Up: factset.Gaussian(12, 8, r), Down: factset.Gaussian(8, 12, r), Act: SiLU}
	rep, err := Verify(g, fs)
	if err != nil {
		t.Fatal(err)
	}
	// Recompute γ_min by brute force from Forward.
	Y := g.Forward(fs.Keys)
	want := math.Inf(1)
	for i, f := range fs.Map {
		best := math.Inf(-1)
		for j := 0; j < fs.NumValues(); j++ {
			if j != f {
				best = math.Max(best, mat.Dot(Y.RowView(i), fs.Values.RowView(j)))
			}
		}
		want = math.Min(want, mat.Dot(Y.RowView(i), fs.Values.RowView(f))-best)
	}
	if math.Abs(rep.MinMargin-want) > 1e-12 {
		t.Fatalf("γ_min = %v, brute force %v", rep.MinMargin, want)
	}
}

func TestCheckErrors(t *testing.T) {
	g := &Gated{Gate: mat.NewDense(4, 3, nil), Up: mat.NewDense(4, 2, nil), Down: mat.NewDense(3, 4, nil), Act: ReLU}
	if err := g.Check(); err == nil || !strings.Contains(err.Error(), "up is 4×2") {
		t.Fatalf("got %v", err)
	}
	g.Up = mat.NewDense(4, 3, nil)
	g.Act = "tanh"
	if err := g.Check(); err == nil || !strings.Contains(err.Error(), "accepted: identity, relu, silu") {
		t.Fatalf("got %v", err)
	}
	g.Act = ReLU
	g.Down.Set(1, 1, math.NaN())
	if err := g.Check(); err == nil || !strings.Contains(err.Error(), "down[1,1] is NaN") {
		t.Fatalf("got %v", err)
	}
	fs := factset.NewTied(factset.Spherical(5, 4, rng.New(1)), rng.New(1))
	g.Down.Set(1, 1, 0)
	if _, err := Verify(g, fs); err == nil || !strings.Contains(err.Error(), "dimension 3 but the fact set has dimension 4") {
		t.Fatalf("got %v", err)
	}
}

func TestParamCounts(t *testing.T) {
	g := &Gated{Gate: mat.NewDense(10, 4, nil), Up: mat.NewDense(10, 4, nil), Down: mat.NewDense(4, 10, nil),
		UpBias: make([]float64, 10), Act: ReLU, Seeded: []string{"gate"}}
	if g.Params() != 130 || g.ParamsWithoutSeeded() != 90 {
		t.Fatalf("params %d / %d, want 130 / 90", g.Params(), g.ParamsWithoutSeeded())
	}
}

func TestActivationDerivatives(t *testing.T) {
	for _, a := range []Activation{Identity, ReLU, SiLU} {
		for _, x := range []float64{-1.3, -0.2, 0.4, 2.1} {
			num := (a.Apply(x+1e-6) - a.Apply(x-1e-6)) / 2e-6
			if math.Abs(num-a.Derivative(x)) > 1e-6 {
				t.Fatalf("%s'(%v) = %v, numeric %v", a, x, a.Derivative(x), num)
			}
		}
	}
}
