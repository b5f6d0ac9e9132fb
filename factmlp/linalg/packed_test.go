package linalg

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// MulPacked gives Mul's values bit for bit (one depth block and several,
// partial tiles, strided views), and the packed B serves many products.
func TestMulPackedMatchesMul(t *testing.T) {
	for _, sz := range []struct{ m, n, k int }{{1, 1, 1}, {3, 50, 17}, {32, 300, 64}, {9, 130, 2*kcMax + 5}} {
		b := randomDense(sz.n+1, sz.k+2, 2).Slice(1, sz.n+1, 1, sz.k+1).(*mat.Dense)
		pb, err := PackT(b.RawMatrix())
		if err != nil {
			t.Fatal(err)
		}
		if r, c := pb.Dims(); r != sz.n || c != sz.k {
			t.Fatalf("Packed.Dims() = %d×%d, want %d×%d", r, c, sz.n, sz.k)
		}
		for seed := uint64(3); seed < 5; seed++ {
			a := randomDense(sz.m, sz.k+3, seed).Slice(0, sz.m, 3, sz.k+3).(*mat.Dense)
			want := mat.NewDense(sz.m, sz.n, nil)
			if err := Mul(want.RawMatrix(), a.RawMatrix(), b.RawMatrix(), false, true); err != nil {
				t.Fatal(err)
			}
			got := mat.NewDense(sz.m, sz.n, nil)
			got.Apply(func(_, _ int, _ float64) float64 { return 7 }, got) // MulPacked overwrites
			if err := MulPacked(got.RawMatrix(), a.RawMatrix(), pb); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < sz.m; i++ {
				for j := 0; j < sz.n; j++ {
					if got.At(i, j) != want.At(i, j) {
						t.Fatalf("%d×%d·(%d×%d)ᵀ: [%d,%d] = %v, Mul gives %v", sz.m, sz.k, sz.n, sz.k, i, j, got.At(i, j), want.At(i, j))
					}
				}
			}
		}
	}
}

func TestMulPackedBadArguments(t *testing.T) {
	g := func(r, c int) blas64.General {
		return blas64.General{Rows: r, Cols: c, Stride: c, Data: make([]float64, r*c)}
	}
	pb, err := PackT(g(5, 4))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"a with 3 columns", MulPacked(g(2, 5), g(2, 3), pb)},
		{"c with 4 columns", MulPacked(g(2, 4), g(2, 4), pb)},
		{"no packed matrix", MulPacked(g(2, 5), g(2, 4), nil)},
	} {
		if tc.err == nil {
			t.Errorf("MulPacked with %s gave no error", tc.name)
		}
	}
	if _, err := PackT(g(0, 4)); err == nil {
		t.Error("PackT of an empty matrix gave no error")
	}
	if _, err := PackT(blas64.General{Rows: 2, Cols: 3, Stride: 2, Data: make([]float64, 6)}); err == nil {
		t.Error("PackT with stride < columns gave no error")
	}
}

func ExampleMulPacked() {
	// The table B is packed once; each block of queries is one product.
	table := mat.NewDense(3, 2, []float64{1, 0, 0, 1, 1, 1})
	packed, _ := PackT(table.RawMatrix())
	queries := mat.NewDense(2, 2, []float64{2, 3, -1, 1})
	scores := mat.NewDense(2, 3, nil)
	if err := MulPacked(scores.RawMatrix(), queries.RawMatrix(), packed); err != nil {
		fmt.Println(err)
	}
	fmt.Println(mat.Formatted(scores))
	// Output:
	// ⎡ 2   3   5⎤
	// ⎣-1   1   0⎦
}
