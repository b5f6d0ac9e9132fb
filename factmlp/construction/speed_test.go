package construction

import (
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/linalg"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

// TestEncoderGramMatchesWholeProducts: the Gram built a row block at a time
// equals (S Sᵀ) ⊙ (K Kᵀ) from two whole |K|×|K| products bit for bit, at a
// size that is not a multiple of the block.
func TestEncoderGramMatchesWholeProducts(t *testing.T) {
	fs := spherical(t, 2*gramRowBlock+37, 16, 1)
	F, d := fs.NumFacts(), fs.Dim()
	G0 := drawGates(1, 40, d, F)
	S := mat.NewDense(F, 40, nil)
	S.Mul(fs.Keys, G0.T())
	S.Apply(func(_, _ int, v float64) float64 { return mlp.ReLU.Apply(v) }, S)
	got, err := encoderGram(fs.Keys, S)
	if err != nil {
		t.Fatal(err)
	}
	SS, KK := mat.NewSymDense(F, nil), mat.NewSymDense(F, nil)
	if err := linalg.SymOuter(SS.RawSymmetric(), S.RawMatrix()); err != nil {
		t.Fatal(err)
	}
	if err := linalg.SymOuter(KK.RawSymmetric(), fs.Keys.RawMatrix()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < F; i++ {
		for j := i; j < F; j++ {
			want := SS.At(i, j) * KK.At(i, j)
			if g := got.Data[i*got.Stride+j]; g != want {
				t.Fatalf("Gram[%d,%d] = %v, the whole products give %v", i, j, g, want)
			}
		}
	}
}

// mainWidth is what MinimalEncDec found on main before the speed work
// (factmlp construct -method encdec … -json, the CLI's settings: the fact
// set's seed is the construction's seed).
type mainWidth struct {
	spec                   factset.Spec
	hidden, codeDim        int
	params, paramsNoSeeded int
	rho                    float64
}

// TestMinimalEncDecWidthsAsBefore: widths, code dimensions and parameter
// counts are those main found before the decodability and decoder speed-ups,
// on several seeds, sizes and families, and ρ moved by at most 1e-12; every
// MLP still verifies exactly (MinimalEncDec returns only verified ones).
func TestMinimalEncDecWidthsAsBefore(t *testing.T) {
	cases := []mainWidth{
		{factset.Spec{N: 256, Dim: 16, Seed: 1}, 304, 16, 14592, 4864, 0.4319428036854616},
		{factset.Spec{N: 256, Dim: 16, Seed: 2}, 304, 16, 14592, 4864, 0.44966662617189945},
		{factset.Spec{N: 256, Dim: 16, Seed: 3}, 304, 16, 14592, 4864, 0.45092422879898403},
		{factset.Spec{N: 1024, Dim: 32, Seed: 1}, 928, 29, 89088, 29696, 0.5109898639905739},
		{factset.Spec{N: 1024, Dim: 32, Seed: 2}, 896, 28, 86016, 28672, 0.505005140477288},
		{factset.Spec{N: 1024, Dim: 32, Seed: 3}, 928, 29, 89088, 29696, 0.49333562633537015},
		{factset.Spec{N: 512, Dim: 64, Seed: 1}, 225, 25, 43200, 14400, 0.5943593214508406},
		{factset.Spec{Family: "conditioned", Kappa: 100, N: 512, Dim: 32, Seed: 1}, 544, 32, 52224, 17408, 0.38175825809256797},
		{factset.Spec{Family: "conditioned", Kappa: 100, N: 512, Dim: 32, Seed: 2}, 544, 32, 52224, 17408, 0.3790866052161381},
		{factset.Spec{Family: "spiked", Beta: 10, N: 512, Dim: 32, Seed: 1}, 544, 32, 52224, 17408, 0.2282590728394787},
		{factset.Spec{N: 256, Keys: 1024, Untied: true, Dim: 32, Seed: 1}, 768, 24, 73728, 24576, 0.5365208929711232},
	}
	if long() {
		cases = append(cases, mainWidth{factset.Spec{N: 2048, Dim: 64, Seed: 4}, 960, 30, 184320, 61440, 0.5693041179226174})
	}
	if testing.Short() {
		// -short (the race run): one spherical, one conditioned and the untied set
		// exercise every parallel path; the full table runs in make test's go test.
		cases = []mainWidth{cases[0], cases[7], cases[10]}
	}
	for _, c := range cases {
		fs, err := c.spec.Generate()
		if err != nil {
			t.Fatal(err)
		}
		mn, err := MinimalEncDec(fs, MinimalOptions{Seed: c.spec.Seed})
		if err != nil {
			t.Fatalf("%v: %v", c.spec, err)
		}
		got := mainWidth{c.spec, mn.Hidden, mn.CodeDim, mn.Params, mn.ParamsWithoutSeeded, mn.Info.Rho}
		if got.hidden != c.hidden || got.codeDim != c.codeDim || got.params != c.params || got.paramsNoSeeded != c.paramsNoSeeded {
			t.Errorf("%v: hidden %d, m %d, params %d (%d without seeded); main found %d, %d, %d (%d)",
				c.spec, got.hidden, got.codeDim, got.params, got.paramsNoSeeded, c.hidden, c.codeDim, c.params, c.paramsNoSeeded)
		}
		if math.Abs(got.rho-c.rho) > 1e-12 {
			t.Errorf("%v: ρ = %.17g, main computed %.17g (|Δ| = %.2g > 1e-12)", c.spec, got.rho, c.rho, math.Abs(got.rho-c.rho))
		}
		if !mn.Info.Report.Stores() {
			t.Errorf("%v: the MLP does not verify: %v", c.spec, mn.Info.Report)
		}
	}
}

// codeMarginsReference is CodeMargins as main had it: every quotient
// divided, targets one by one in order.
func codeMarginsReference(codes, RV *mat.Dense, targets []int, maxFail int) (float64, []int) {
	nv, _ := RV.Dims()
	P, err := linalg.MulT(codes, RV)
	if err != nil {
		panic(err)
	}
	worst := math.Inf(1)
	var failing []int
	for _, j := range targets {
		row := P.RawRowView(j)
		nj := norm(RV.RawRowView(j))
		wj := math.Inf(1)
		for l := 0; l < nv; l++ {
			if l == j {
				continue
			}
			if g := (row[j] - row[l]) / (nj + norm(RV.RawRowView(l))); g < wj {
				wj = g
			}
		}
		wj /= norm(codes.RawRowView(j))
		worst = math.Min(worst, wj)
		if wj < DecodeTol {
			failing = append(failing, j)
			if maxFail >= 0 && len(failing) > maxFail {
				break
			}
		}
	}
	return worst, failing
}

// TestCodeMarginsAsBefore: the skipped divisions and the chunks on several
// cores change nothing: the same smallest margin and the same failing
// targets, bit for bit, as checking every quotient of every target in
// order, with and without the early stop, on 1 and 3 cores.
func TestCodeMarginsAsBefore(t *testing.T) {
	fs := spherical(t, 700, 16, 5)
	sep, err := ComputeSeparators(fs)
	if err != nil {
		t.Fatal(err)
	}
	for _, procs := range []int{1, 3} {
		prev := runtime.GOMAXPROCS(procs)
		for _, m := range []int{4, 10, 16} {
			codes, RV, err := project(DrawProjection(2, m, 16, 0), sep, fs.Values)
			if err != nil {
				t.Fatal(err)
			}
			for _, maxFail := range []int{-1, 0, 5, 300} {
				w, f := CodeMargins(codes, RV, sep.Targets, maxFail)
				ww, wf := codeMarginsReference(codes, RV, sep.Targets, maxFail)
				if w != ww || !slices.Equal(f, wf) {
					t.Fatalf("GOMAXPROCS=%d m=%d maxFail=%d: margin %v, %d failing; every quotient in order gives %v, %d failing", procs, m, maxFail, w, len(f), ww, len(wf))
				}
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}

// TestRefinedDecoderMarginAsBefore: after refinement only the refined codes
// are checked again; the margin reported is still the smallest over every
// target, as checking them all gives.
func TestRefinedDecoderMarginAsBefore(t *testing.T) {
	fs := spherical(t, 1024, 32, 1)
	sep, err := ComputeSeparators(fs)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := MinDecoder(sep, fs.Values, 1, DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(dec.Refined) == 0 {
		t.Fatalf("the decoder at m = %d refined no code; this test needs one that does", dec.M)
	}
	RV, err := linalg.MulT(fs.Values, dec.R)
	if err != nil {
		t.Fatal(err)
	}
	w, failing := CodeMargins(dec.Codes, RV, sep.Targets, -1)
	if w != dec.Margin || len(failing) > 0 {
		t.Errorf("m = %d, %d refined: margin %v, checking every target gives %v (%d failing)", dec.M, len(dec.Refined), dec.Margin, w, len(failing))
	}
}
