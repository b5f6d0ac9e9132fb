package linalg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

func randomDense(r, c int, seed uint64) *mat.Dense {
	g := rand.New(rand.NewPCG(seed, uint64(r*1000+c)))
	a := mat.NewDense(r, c, nil)
	for i := range a.RawMatrix().Data {
		a.RawMatrix().Data[i] = g.NormFloat64()
	}
	return a
}

func maxDiff(t *testing.T, got, want mat.Matrix, tol float64) {
	t.Helper()
	r, c := want.Dims()
	if gr, gc := got.Dims(); gr != r || gc != c {
		t.Fatalf("got %d×%d, want %d×%d", gr, gc, r, c)
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if d := math.Abs(got.At(i, j) - want.At(i, j)); d > tol {
				t.Fatalf("(%d,%d) = %v, gonum %v", i, j, got.At(i, j), want.At(i, j))
			}
		}
	}
}

// Mul agrees with gonum for every combination of transposes, on sizes that
// leave partial tiles and on strided views; it overwrites c.
func TestMulMatchesGonum(t *testing.T) {
	for _, sz := range []struct{ m, n, k int }{{1, 1, 1}, {7, 25, 3}, {97, 130, 300}, {300, 50, 17}} {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			ar, ac := sz.m, sz.k
			if tr[0] {
				ar, ac = ac, ar
			}
			br, bc := sz.k, sz.n
			if tr[1] {
				br, bc = bc, br
			}
			// Views into larger matrices: strides differ from widths.
			a := randomDense(ar+2, ac+3, 1).Slice(1, ar+1, 2, ac+2).(*mat.Dense)
			b := randomDense(br+1, bc+4, 2).Slice(0, br, 3, bc+3).(*mat.Dense)
			var opA, opB mat.Matrix = a, b
			if tr[0] {
				opA = a.T()
			}
			if tr[1] {
				opB = b.T()
			}
			var want mat.Dense
			want.Mul(opA, opB)
			c := mat.NewDense(sz.m, sz.n+1, nil)
			for i := range c.RawMatrix().Data {
				c.RawMatrix().Data[i] = 99
			}
			cv := c.Slice(0, sz.m, 0, sz.n).(*mat.Dense)
			if err := Mul(cv.RawMatrix(), a.RawMatrix(), b.RawMatrix(), tr[0], tr[1]); err != nil {
				t.Fatal(err)
			}
			maxDiff(t, cv, &want, 1e-12*float64(sz.k))
			for i := 0; i < sz.m; i++ {
				if c.At(i, sz.n) != 99 {
					t.Fatalf("m=%d n=%d k=%d trans=%v: wrote outside c at row %d", sz.m, sz.n, sz.k, tr, i)
				}
			}
		}
	}
	bad := blas64.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 4)}
	if err := Mul(bad, bad, blas64.General{Rows: 3, Cols: 2, Stride: 2, Data: make([]float64, 6)}, false, false); err == nil {
		t.Fatal("Mul of 2×2 by 3×2 gave no error")
	}
}

// MulT agrees with gonum on raw matrices and on any other mat.Matrix, and
// refuses mismatched or empty shapes.
func TestMulT(t *testing.T) {
	a, b := randomDense(130, 40, 3), randomDense(77, 40, 4)
	var want mat.Dense
	want.Mul(a, b.T())
	got, err := MulT(a, b)
	if err != nil {
		t.Fatal(err)
	}
	maxDiff(t, got, &want, 1e-12*40)
	got, err = MulT(a, struct{ mat.Matrix }{b}) // not a RawMatrixer: gonum's path
	if err != nil {
		t.Fatal(err)
	}
	maxDiff(t, got, &want, 1e-12*40)
	if _, err := MulT(a, randomDense(5, 39, 5)); err == nil {
		t.Fatal("MulT of 130×40 by (5×39)ᵀ gave no error")
	}
	if _, err := MulT(&mat.Dense{}, b); err == nil {
		t.Fatal("MulT of an empty matrix gave no error")
	}
}
