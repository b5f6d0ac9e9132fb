package linalg

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// ErrNotPositiveDefinite is wrapped by the error Cholesky returns for a
// matrix that is not (numerically) symmetric positive definite.
var ErrNotPositiveDefinite = errors.New("matrix is not positive definite")

// leaf is the size at and below which the recursions switch to scalar loops.
const leaf = 32

// Cholesky factors the symmetric positive-definite matrix A, whose upper
// triangle a holds (as in mat.SymDense), as A = UᵀU, overwriting that
// triangle with U; the strict lower triangle is not touched. It is
// lapack64.Potrf for blas.Upper, recursive so that almost all of its n³/3
// flops run in the packed matrix-multiply kernel on all cores.
//
// A matrix that is not positive definite (a pivot ≤ 0, NaN or ±Inf) gives an
// error wrapping ErrNotPositiveDefinite; a then holds a partial factor.
func Cholesky(a blas64.Symmetric) (blas64.Triangular, error) {
	if err := checkSquare("Cholesky", a.N, a.Stride, len(a.Data)); err != nil {
		return blas64.Triangular{}, err
	}
	if a.Uplo != blas.Upper {
		return blas64.Triangular{}, fmt.Errorf("linalg: Cholesky reads the upper triangle (blas.Upper, as mat.SymDense stores it); got Uplo %c", a.Uplo)
	}
	if err := potrf(a.Data, a.Stride, a.N, 0, a.N); err != nil {
		return blas64.Triangular{}, err
	}
	return blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: a.N, Stride: a.Stride, Data: a.Data}, nil
}

// SolveCholesky overwrites b (n×nrhs) with X = A⁻¹B, where u is the factor
// from Cholesky (A = UᵀU): it solves UᵀY = B, then UX = Y.
func SolveCholesky(u blas64.Triangular, b blas64.General) error {
	if err := checkSquare("SolveCholesky", u.N, u.Stride, len(u.Data)); err != nil {
		return err
	}
	if u.Uplo != blas.Upper || u.Diag != blas.NonUnit {
		return fmt.Errorf("linalg: SolveCholesky needs the upper, non-unit factor from Cholesky; got Uplo %c, Diag %c", u.Uplo, u.Diag)
	}
	if b.Rows != u.N {
		return fmt.Errorf("linalg: SolveCholesky: b has %d rows, the factor is %d×%d", b.Rows, u.N, u.N)
	}
	if err := checkGeneral("SolveCholesky", b); err != nil {
		return err
	}
	if u.N == 0 || b.Cols == 0 {
		return nil
	}
	trsmUT(u.N, b.Cols, u.Data, u.Stride, b.Data, b.Stride)
	trsmUN(u.N, b.Cols, u.Data, u.Stride, b.Data, b.Stride)
	return nil
}

// SymOuter sets the upper triangle of c to A·Aᵀ (A is n×k): the Gram
// matrix of A's rows, mat.SymDense.SymOuterK(1, A) on the fast kernel.
func SymOuter(c blas64.Symmetric, a blas64.General) error {
	if err := checkSquare("SymOuter", c.N, c.Stride, len(c.Data)); err != nil {
		return err
	}
	if c.Uplo != blas.Upper {
		return fmt.Errorf("linalg: SymOuter writes the upper triangle (blas.Upper); got Uplo %c", c.Uplo)
	}
	if a.Rows != c.N {
		return fmt.Errorf("linalg: SymOuter: A has %d rows, c is %d×%d", a.Rows, c.N, c.N)
	}
	if err := checkGeneral("SymOuter", a); err != nil {
		return err
	}
	if a.Cols == 0 {
		for i := 0; i < c.N; i++ {
			clear(c.Data[i*c.Stride+i : i*c.Stride+c.N])
		}
		return nil
	}
	// The first depth block sets the upper triangle: no clearing first.
	x := operand{data: a.Data, ld: a.Stride}
	gemmPacked(c.N, c.N, a.Cols, 1, x, x, nil, c.Data, c.Stride, true, true, true)
	return nil
}

// Mul sets c = op(A)·op(B), where op(X) is X or, with the trans flag, Xᵀ:
// blas64.Gemm(…, 1, a, b, 0, c) on the fast kernel.
func Mul(c, a, b blas64.General, transA, transB bool) error {
	for _, g := range []struct {
		name string
		m    blas64.General
	}{{"c", c}, {"a", a}, {"b", b}} {
		if err := checkGeneral("Mul: "+g.name, g.m); err != nil {
			return err
		}
	}
	m, k := a.Rows, a.Cols
	if transA {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if transB {
		kb, n = n, kb
	}
	if k != kb || c.Rows != m || c.Cols != n {
		return fmt.Errorf("linalg: Mul: op(A) is %d×%d, op(B) %d×%d, C %d×%d; want C = (m×k)·(k×n) with m×n C", m, k, kb, n, c.Rows, c.Cols)
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			clear(c.Data[i*c.Stride : i*c.Stride+n])
		}
		return nil
	}
	// gemm contracts x(i,p)·y(j,p): op(A)[i,p] is stored k-major when A is
	// transposed, op(B)[p,j] when B is not. The first depth block sets c,
	// so it needs no clearing.
	x := operand{data: a.Data, ld: a.Stride, kMajor: transA}
	y := operand{data: b.Data, ld: b.Stride, kMajor: !transB}
	gemmPacked(m, n, k, 1, x, y, nil, c.Data, c.Stride, false, true, true)
	return nil
}

// potrf factors the n×n block at a (row stride lda) in place; row0 and
// total place it in the whole matrix for error messages. Recursive: U11,
// then U12 = U11⁻ᵀA12, then A22 − U12ᵀU12 (the bulk, in gemm), then U22.
func potrf(a []float64, lda, n, row0, total int) error {
	if n <= leaf {
		return potrfLeaf(a, lda, n, row0, total)
	}
	n1 := split(n)
	if err := potrf(a, lda, n1, row0, total); err != nil {
		return err
	}
	a12, a22 := a[n1:], a[n1*lda+n1:]
	trsmUT(n1, n-n1, a, lda, a12, lda)
	u12 := operand{data: a12, ld: lda, kMajor: true}
	gemm(n-n1, n-n1, n1, -1, u12, u12, a22, lda, true)
	return potrf(a22, lda, n-n1, row0+n1, total)
}

// potrfLeaf is the unblocked right-looking Cholesky of a small block.
func potrfLeaf(a []float64, lda, n, row0, total int) error {
	for i := 0; i < n; i++ {
		d := a[i*lda+i]
		if !(d > 0) || math.IsInf(d, 1) {
			return fmt.Errorf("linalg: Cholesky: %w: pivot %g at row %d of %d", ErrNotPositiveDefinite, d, row0+i, total)
		}
		uii := math.Sqrt(d)
		a[i*lda+i] = uii
		row := a[i*lda+i+1 : i*lda+n]
		inv := 1 / uii
		for j := range row {
			row[j] *= inv
		}
		for r := i + 1; r < n; r++ {
			axpy(-row[r-i-1], row[r-i-1:], a[r*lda+r:r*lda+n])
		}
	}
	return nil
}

// trsmUT overwrites the n×w block b with U⁻ᵀB (solves UᵀX = B, U upper n×n).
func trsmUT(n, w int, u []float64, ldu int, b []float64, ldb int) {
	if n <= leaf {
		if !byColumns(n, w, func(j0, j1 int) { trsmUTLeaf(n, j1-j0, u, ldu, b[j0:], ldb) }) {
			trsmUTLeaf(n, w, u, ldu, b, ldb)
		}
		return
	}
	n1 := split(n)
	trsmUT(n1, w, u, ldu, b, ldb)
	// B2 −= U12ᵀ X1
	gemm(n-n1, w, n1, -1, operand{data: u[n1:], ld: ldu, kMajor: true}, operand{data: b, ld: ldb, kMajor: true}, b[n1*ldb:], ldb, false)
	trsmUT(n-n1, w, u[n1*ldu+n1:], ldu, b[n1*ldb:], ldb)
}

// trsmUTLeaf is trsmUT for n ≤ leaf, on the calling goroutine.
func trsmUTLeaf(n, w int, u []float64, ldu int, b []float64, ldb int) {
	for i := 0; i < n; i++ {
		bi := b[i*ldb : i*ldb+w]
		inv := 1 / u[i*ldu+i]
		for j := range bi {
			bi[j] *= inv
		}
		for r := i + 1; r < n; r++ {
			axpy(-u[i*ldu+r], bi, b[r*ldb:r*ldb+w])
		}
	}
}

// trsmUN overwrites the n×w block b with U⁻¹B (solves UX = B, U upper n×n).
func trsmUN(n, w int, u []float64, ldu int, b []float64, ldb int) {
	if n <= leaf {
		if !byColumns(n, w, func(j0, j1 int) { trsmUNLeaf(n, j1-j0, u, ldu, b[j0:], ldb) }) {
			trsmUNLeaf(n, w, u, ldu, b, ldb)
		}
		return
	}
	n1 := split(n)
	trsmUN(n-n1, w, u[n1*ldu+n1:], ldu, b[n1*ldb:], ldb)
	// B1 −= U12 X2
	gemm(n1, w, n-n1, -1, operand{data: u[n1:], ld: ldu}, operand{data: b[n1*ldb:], ld: ldb, kMajor: true}, b, ldb, false)
	trsmUN(n1, w, u, ldu, b, ldb)
}

// trsmUNLeaf is trsmUN for n ≤ leaf, on the calling goroutine.
func trsmUNLeaf(n, w int, u []float64, ldu int, b []float64, ldb int) {
	for i := n - 1; i >= 0; i-- {
		bi := b[i*ldb : i*ldb+w]
		for r := i + 1; r < n; r++ {
			axpy(-u[i*ldu+r], b[r*ldb:r*ldb+w], bi)
		}
		inv := 1 / u[i*ldu+i]
		for j := range bi {
			bi[j] *= inv
		}
	}
}

// leafParallelMin is the least work (rows × columns) of a triangular-solve
// leaf worth splitting by columns over the cores.
const leafParallelMin = 1 << 14

// byColumns runs solve on column ranges of a leaf's n×w block on all
// cores and reports true, when the block is wide enough to pay for it.
// Each column is solved by the same operations in the same order either
// way, so the result is the same bit for bit.
func byColumns(n, w int, solve func(j0, j1 int)) bool {
	workers := runtime.GOMAXPROCS(0)
	if workers <= 1 || n*w < leafParallelMin || w < 2*nr {
		return false
	}
	workers = min(workers, w/nr)
	var wg sync.WaitGroup
	for g := range workers {
		j0, j1 := w*g/workers, w*(g+1)/workers
		wg.Go(func() { solve(j0, j1) })
	}
	wg.Wait()
	return true
}

// split is where the recursions cut an n-block: about half, on a multiple
// of the kernel's tile so the trailing blocks stay aligned.
func split(n int) int {
	h := (n/2 + nr - 1) / nr * nr
	if h >= n {
		h = n / 2
	}
	return h
}

// axpy sets y += alpha·x over len(y) elements.
func axpy(alpha float64, x, y []float64) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

func checkSquare(op string, n, stride, length int) error {
	switch {
	case n < 0:
		return fmt.Errorf("linalg: %s: negative size %d", op, n)
	case n > 0 && stride < n:
		return fmt.Errorf("linalg: %s: stride %d is less than the size %d", op, stride, n)
	case n > 0 && length < (n-1)*stride+n:
		return fmt.Errorf("linalg: %s: data has %d elements, a %d×%d matrix with stride %d needs %d", op, length, n, n, stride, (n-1)*stride+n)
	}
	return nil
}

func checkGeneral(op string, g blas64.General) error {
	switch {
	case g.Rows < 0 || g.Cols < 0:
		return fmt.Errorf("linalg: %s: negative size %d×%d", op, g.Rows, g.Cols)
	case g.Rows > 0 && g.Cols > 0 && g.Stride < g.Cols:
		return fmt.Errorf("linalg: %s: stride %d is less than the %d columns", op, g.Stride, g.Cols)
	case g.Rows > 0 && g.Cols > 0 && len(g.Data) < (g.Rows-1)*g.Stride+g.Cols:
		return fmt.Errorf("linalg: %s: data has %d elements, a %d×%d matrix with stride %d needs %d", op, len(g.Data), g.Rows, g.Cols, g.Stride, (g.Rows-1)*g.Stride+g.Cols)
	}
	return nil
}
