package linalg

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// randomSPD returns Q·diag(λ)·Qᵀ with Q a random orthogonal matrix and λ
// log-spaced from 1 down to 1/cond.
func randomSPD(n int, cond float64, seed uint64) *mat.SymDense {
	r := rand.New(rand.NewPCG(seed, 7))
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.Set(i, j, r.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var q mat.Dense
	qr.QTo(&q)
	for j := 0; j < n; j++ {
		lambda := 1.0
		if n > 1 {
			lambda = math.Pow(cond, -float64(j)/float64(n-1))
		}
		for i := 0; i < n; i++ {
			q.Set(i, j, q.At(i, j)*math.Sqrt(lambda))
		}
	}
	s := mat.NewSymDense(n, nil)
	s.SymOuterK(1, &q)
	return s
}

// randomGram returns GGᵀ + n·I for a random n×n G: SPD, well conditioned.
func randomGram(n int, seed uint64) *mat.SymDense {
	r := rand.New(rand.NewPCG(seed, 11))
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.Set(i, j, r.NormFloat64())
		}
	}
	s := mat.NewSymDense(n, nil)
	if n >= 1024 { // gonum's SymOuterK takes seconds at benchmark sizes
		if err := SymOuter(s.RawSymmetric(), g.RawMatrix()); err != nil {
			panic(err)
		}
	} else {
		s.SymOuterK(1, g)
	}
	for i := 0; i < n; i++ {
		s.SetSym(i, i, s.At(i, i)+float64(n))
	}
	return s
}

func upperMaxDiff(a, b blas64.Triangular) (diff, scale float64) {
	for i := 0; i < a.N; i++ {
		for j := i; j < a.N; j++ {
			diff = math.Max(diff, math.Abs(a.Data[i*a.Stride+j]-b.Data[i*b.Stride+j]))
			scale = math.Max(scale, math.Abs(b.Data[i*b.Stride+j]))
		}
	}
	return diff, scale
}

func TestCholeskyMatchesGonum(t *testing.T) {
	for _, n := range []int{1, 2, 7, 31, 32, 33, 95, 200, 257, 530} {
		a := randomGram(n, uint64(n))
		ours := mat.NewSymDense(n, nil)
		ours.CopySym(a)
		theirs := mat.NewSymDense(n, nil)
		theirs.CopySym(a)
		u, err := Cholesky(ours.RawSymmetric())
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		want, ok := lapack64.Potrf(theirs.RawSymmetric())
		if !ok {
			t.Fatalf("n=%d: gonum's Potrf failed on an SPD matrix", n)
		}
		if diff, scale := upperMaxDiff(u, want); diff > 1e-12*scale {
			t.Errorf("n=%d: factor differs from gonum's by %g (max |U| %g)", n, diff, scale)
		}
		// The strict lower triangle is not ours to touch.
		for i := 0; i < n; i++ {
			for j := 0; j < i; j++ {
				if ours.RawSymmetric().Data[i*n+j] != 0 {
					t.Fatalf("n=%d: Cholesky wrote below the diagonal at (%d,%d)", n, i, j)
				}
			}
		}
	}
}

// On ill-conditioned matrices two correct factorizations differ by about
// κ·ε, so the test checks what is backward stable: UᵀU reproduces A to a
// few ulps of ‖A‖, and solves agree with gonum's to κ·ε.
func TestCholeskyIllConditioned(t *testing.T) {
	for _, tc := range []struct {
		n    int
		cond float64
	}{{64, 1e6}, {300, 1e10}, {301, 1e12}} {
		a := randomSPD(tc.n, tc.cond, 3)
		f := mat.NewSymDense(tc.n, nil)
		f.CopySym(a)
		u, err := Cholesky(f.RawSymmetric())
		if err != nil {
			t.Fatalf("n=%d κ=%g: %v", tc.n, tc.cond, err)
		}
		ut := mat.NewTriDense(tc.n, mat.Upper, u.Data)
		var back mat.Dense
		back.Mul(ut.T(), ut)
		var worst float64
		for i := 0; i < tc.n; i++ {
			for j := 0; j < tc.n; j++ {
				worst = math.Max(worst, math.Abs(back.At(i, j)-a.At(i, j)))
			}
		}
		if worst > 1e-14*float64(tc.n) {
			t.Errorf("n=%d κ=%g: max |UᵀU − A| = %g", tc.n, tc.cond, worst)
		}

		b := mat.NewDense(tc.n, 3, nil)
		r := rand.New(rand.NewPCG(5, 5))
		for i := range b.RawMatrix().Data {
			b.RawMatrix().Data[i] = r.NormFloat64()
		}
		x := mat.DenseCopyOf(b)
		if err := SolveCholesky(u, x.RawMatrix()); err != nil {
			t.Fatal(err)
		}
		g := mat.NewSymDense(tc.n, nil)
		g.CopySym(a)
		gu, _ := lapack64.Potrf(g.RawSymmetric())
		want := mat.DenseCopyOf(b)
		lapack64.Potrs(gu, want.RawMatrix())
		diff := mat.NewDense(tc.n, 3, nil)
		diff.Sub(x, want)
		if rel := mat.Norm(diff, math.Inf(1)) / mat.Norm(want, math.Inf(1)); rel > tc.cond*1e-14 {
			t.Errorf("n=%d κ=%g: solution differs from gonum's by %g relative", tc.n, tc.cond, rel)
		}
	}
}

func TestSolveCholeskyResidual(t *testing.T) {
	for _, tc := range []struct{ n, nrhs int }{{1, 1}, {40, 1}, {257, 30}, {500, 100}} {
		a := randomGram(tc.n, 9)
		f := mat.NewSymDense(tc.n, nil)
		f.CopySym(a)
		u, err := Cholesky(f.RawSymmetric())
		if err != nil {
			t.Fatal(err)
		}
		b := mat.NewDense(tc.n, tc.nrhs, nil)
		r := rand.New(rand.NewPCG(1, uint64(tc.n)))
		for i := range b.RawMatrix().Data {
			b.RawMatrix().Data[i] = r.NormFloat64()
		}
		x := mat.DenseCopyOf(b)
		if err := SolveCholesky(u, x.RawMatrix()); err != nil {
			t.Fatal(err)
		}
		var ax mat.Dense
		ax.Mul(a, x)
		ax.Sub(&ax, b)
		if res := mat.Norm(&ax, math.Inf(1)) / mat.Norm(b, math.Inf(1)); res > 1e-12 {
			t.Errorf("n=%d nrhs=%d: relative residual %g", tc.n, tc.nrhs, res)
		}
	}
}

func TestCholeskyNotPositiveDefinite(t *testing.T) {
	indefinite := randomGram(100, 2)
	indefinite.SetSym(70, 70, -1e6)
	nan := randomGram(50, 2)
	nan.SetSym(3, 40, math.NaN())
	singular := mat.NewSymDense(40, nil) // rank one: v vᵀ
	for i := 0; i < 40; i++ {
		for j := i; j < 40; j++ {
			singular.SetSym(i, j, float64((i+1)*(j+1)))
		}
	}
	for name, a := range map[string]*mat.SymDense{
		"indefinite": indefinite, "nan": nan, "singular": singular, "zero": mat.NewSymDense(3, nil),
	} {
		_, err := Cholesky(a.RawSymmetric())
		if !errors.Is(err, ErrNotPositiveDefinite) {
			t.Errorf("%s: got %v, want ErrNotPositiveDefinite", name, err)
		}
	}
}

func TestEmpty(t *testing.T) {
	u, err := Cholesky(blas64.Symmetric{Uplo: blas.Upper})
	if err != nil || u.N != 0 {
		t.Fatalf("0×0: got %v, %v", u, err)
	}
	if err := SolveCholesky(u, blas64.General{}); err != nil {
		t.Fatalf("0×0 solve: %v", err)
	}
}

func TestBadArguments(t *testing.T) {
	s := mat.NewSymDense(4, nil).RawSymmetric()
	lower := s
	lower.Uplo = blas.Lower
	short := s
	short.Data = short.Data[:10]
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"lower":    {func() error { _, err := Cholesky(lower); return err }(), "upper triangle"},
		"short":    {func() error { _, err := Cholesky(short); return err }(), "data has 10 elements"},
		"negative": {func() error { _, err := Cholesky(blas64.Symmetric{N: -1}); return err }(), "negative size -1"},
		"rows": {SolveCholesky(blas64.Triangular{N: 4, Stride: 4, Data: s.Data, Uplo: blas.Upper, Diag: blas.NonUnit},
			blas64.General{Rows: 3, Cols: 1, Stride: 1, Data: make([]float64, 3)}), "b has 3 rows"},
		"gram": {SymOuter(s, blas64.General{Rows: 5, Cols: 2, Stride: 2, Data: make([]float64, 10)}), "A has 5 rows"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, tc.err, tc.want)
		}
	}
}

func TestSymOuterMatchesGonum(t *testing.T) {
	for _, tc := range []struct{ n, k int }{{1, 1}, {5, 3}, {100, 64}, {333, 80}, {600, 300}} {
		r := rand.New(rand.NewPCG(uint64(tc.n), uint64(tc.k)))
		a := mat.NewDense(tc.n, tc.k, nil)
		for i := range a.RawMatrix().Data {
			a.RawMatrix().Data[i] = r.NormFloat64()
		}
		want := mat.NewSymDense(tc.n, nil)
		want.SymOuterK(1, a)
		got := mat.NewSymDense(tc.n, nil)
		for i := range got.RawSymmetric().Data {
			got.RawSymmetric().Data[i] = 99 // must be overwritten, not added to
		}
		if err := SymOuter(got.RawSymmetric(), a.RawMatrix()); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < tc.n; i++ {
			for j := i; j < tc.n; j++ {
				if d := math.Abs(got.At(i, j) - want.At(i, j)); d > 1e-12*float64(tc.k) {
					t.Fatalf("n=%d k=%d: (%d,%d) = %g, gonum %g", tc.n, tc.k, i, j, got.At(i, j), want.At(i, j))
				}
			}
		}
	}
}

// The same input gives the same bits whatever the number of threads.
func TestCholeskyDeterministic(t *testing.T) {
	a := randomGram(700, 4)
	factor := func(procs int) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		f := mat.NewSymDense(700, nil)
		f.CopySym(a)
		if _, err := Cholesky(f.RawSymmetric()); err != nil {
			t.Fatal(err)
		}
		return f.RawSymmetric().Data
	}
	one, four := factor(1), factor(4)
	for i := range one {
		if math.Float64bits(one[i]) != math.Float64bits(four[i]) {
			t.Fatalf("element %d: %v with 1 thread, %v with 4", i, one[i], four[i])
		}
	}
}

// Every kernel this CPU runs computes the portable kernel's tile.
func TestKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, kc := range []int{1, 2, 37} {
		ap, bp := make([]float64, kc*mr), make([]float64, kc*nr)
		for i := range ap {
			ap[i] = r.NormFloat64()
		}
		for i := range bp {
			bp[i] = r.NormFloat64()
		}
		const ldc = nr + 5
		want := make([]float64, mr*ldc)
		for i := range want {
			want[i] = float64(i)
		}
		kernelGeneric(kc, ap, bp, want, ldc)
		for name, k := range kernels {
			got := make([]float64, mr*ldc)
			for i := range got {
				got[i] = float64(i)
			}
			k(kc, ap, bp, got, ldc)
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
					t.Fatalf("%s kernel, kc=%d: c[%d] = %v, generic %v", name, kc, i, got[i], want[i])
				}
			}
		}
	}
}

// The whole factorization agrees with gonum's on every kernel.
func TestCholeskyEveryKernel(t *testing.T) {
	defer func(k func(int, []float64, []float64, []float64, int)) { kernel = k }(kernel)
	a := randomGram(301, 6)
	want := mat.NewSymDense(301, nil)
	want.CopySym(a)
	wu, _ := lapack64.Potrf(want.RawSymmetric())
	for name, k := range kernels {
		kernel = k
		f := mat.NewSymDense(301, nil)
		f.CopySym(a)
		u, err := Cholesky(f.RawSymmetric())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff, scale := upperMaxDiff(u, wu); diff > 1e-12*scale {
			t.Errorf("%s: factor differs from gonum's by %g", name, diff)
		}
	}
}
