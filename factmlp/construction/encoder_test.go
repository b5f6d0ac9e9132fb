package construction

import (
	"math"
	"testing"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/linalg"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// TestEncoderGroupsAsPerCode checks that the encoder's grouped products
// give every A[c] and the residual bit for bit as one product per code
// coordinate did, with one group and with groups of 3 (the last short).
func TestEncoderGroupsAsPerCode(t *testing.T) {
	fs, err := factset.Spec{Family: "spherical", N: 300, Dim: 16, Seed: 5}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	F, d := fs.NumFacts(), fs.Dim()
	const units, m = 24, 8
	G0 := drawGates(1, units, d, F)
	O := factset.Gaussian(F, m, rng.New(6))
	defer func(s int) { encoderScratch = s }(encoderScratch)
	for _, scratch := range []int{1 << 21, 3 * F * units} {
		encoderScratch = scratch
		A, S, err := solveEncoder(fs.Keys, G0, mlp.ReLU, O)
		if err != nil {
			t.Fatal(err)
		}
		// λ as solveEncoder computes it, then A[c] one code at a time.
		gram, err := encoderGram(fs.Keys, S)
		if err != nil {
			t.Fatal(err)
		}
		tri, err := linalg.Cholesky(gram)
		if err != nil {
			t.Fatal(err)
		}
		lambda := mat.DenseCopyOf(O)
		if err := linalg.SolveCholesky(tri, lambda.RawMatrix()); err != nil {
			t.Fatal(err)
		}
		W := mat.NewDense(F, units, nil)
		worst := 0.0
		for c := 0; c < m; c++ {
			for i := 0; i < F; i++ {
				for r := 0; r < units; r++ {
					W.Set(i, r, lambda.At(i, c)*S.At(i, r))
				}
			}
			want := mat.NewDense(units, d, nil)
			if err := linalg.Mul(want.RawMatrix(), W.RawMatrix(), fs.Keys.RawMatrix(), true, false); err != nil {
				t.Fatal(err)
			}
			for r := 0; r < units; r++ {
				for k := 0; k < d; k++ {
					if math.Float64bits(A[c].At(r, k)) != math.Float64bits(want.At(r, k)) {
						t.Fatalf("scratch %d: A[%d][%d,%d] = %v, per code %v", scratch, c, r, k, A[c].At(r, k), want.At(r, k))
					}
				}
			}
			KA := mat.NewDense(F, units, nil)
			if err := linalg.Mul(KA.RawMatrix(), fs.Keys.RawMatrix(), want.RawMatrix(), false, true); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < F; i++ {
				var e float64
				for r := 0; r < units; r++ {
					e += S.At(i, r) * KA.At(i, r)
				}
				worst = math.Max(worst, math.Abs(e-O.At(i, c)))
			}
		}
		got, err := encoderResidual(fs.Keys, S, A, O)
		if err != nil {
			t.Fatal(err)
		}
		if math.Float64bits(got) != math.Float64bits(worst) || !(worst > 0) {
			t.Fatalf("scratch %d: residual %v, per code %v", scratch, got, worst)
		}
	}
}

// TestFactorAheadAsInline checks that the encoder factor computed ahead on
// its own goroutine gives the MLP that computing it inline gives, bit for
// bit, and that a factor for other units is not used.
func TestFactorAheadAsInline(t *testing.T) {
	fs, err := factset.Spec{Family: "spherical", N: 300, Dim: 16, Seed: 7}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	sep, err := ComputeSeparators(fs)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := MinDecoder(sep, fs.Values, 2, DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Seed: 2, Act: mlp.ReLU, Slack: DefaultSlack, Units: 40}
	build := func(factor *pendingFactor) *mlp.Gated {
		g, err := encdecWithDecoder(fs, dec, opts, &Info{Durations: map[string]time.Duration{}}, factor)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	want := build(nil)
	for _, units := range []int{40, 41} { // 41: computed ahead for other units, not used
		got := build(startFactor(fs.Keys, opts.Seed, units, opts.Act))
		for _, p := range [][2]*mat.Dense{{got.Gate, want.Gate}, {got.Up, want.Up}, {got.Down, want.Down}} {
			a, b := p[0].RawMatrix().Data, p[1].RawMatrix().Data
			if len(a) != len(b) {
				t.Fatalf("units %d: weights of %d values, inline %d", units, len(a), len(b))
			}
			for i := range a {
				if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
					t.Fatalf("units %d: weight %d is %v, inline %v", units, i, a[i], b[i])
				}
			}
		}
	}
}
