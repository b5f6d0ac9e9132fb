package linalg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// randomGeneral32 draws an r×c matrix whose entries span several orders of
// magnitude, so that summing in another order changes the last bits.
func randomGeneral32(rng *rand.Rand, r, c int) blas32.General {
	g := blas32.General{Rows: r, Cols: c, Stride: c, Data: make([]float32, r*c)}
	for i := range g.Data {
		g.Data[i] = float32(rng.NormFloat64() * math.Exp(3*rng.NormFloat64()))
	}
	return g
}

// TestMulT32MatchesGonum checks MulT32 against blas32.Gemm bit for bit on
// shapes that reach every branch: gonum's serial path (one dot over all of
// k) and blocked path, k with and without tails of fours and singles, edge
// rows and columns, strides that are and are not multiples of four (gonum
// then, by way of the fallback).
func TestMulT32MatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	shapes := [][3]int{ // m, n, k
		{1, 1, 1}, {3, 16, 16}, {2, 5, 3}, {4, 17, 7}, {5, 33, 64}, {7, 40, 100},
		{64, 64, 64}, {65, 130, 65}, {100, 300, 13}, {512, 70, 1920}, {130, 1000, 64}, {9, 512, 33},
	}
	kernelRuns := 0
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		a, b := randomGeneral32(rng, m, k), randomGeneral32(rng, n, k)
		want := blas32.General{Rows: m, Cols: n, Stride: n, Data: make([]float32, m*n)}
		blas32.Gemm(blas.NoTrans, blas.Trans, 1, a, b, 0, want)
		p, err := PackT32(b)
		if err != nil {
			t.Fatal(err)
		}
		if p.panels != nil {
			kernelRuns++
		}
		got := blas32.General{Rows: m, Cols: n, Stride: n, Data: make([]float32, m*n)}
		for i := range got.Data {
			got.Data[i] = float32(i) // MulT32 overwrites c
		}
		for _, parallel := range []bool{true, false} {
			if err := MulT32(got, a, p, parallel); err != nil {
				t.Fatal(err)
			}
			for i := range want.Data {
				if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
					t.Fatalf("%d×%d×%d (parallel %v): entry %d is %v, gonum's %v", m, n, k, parallel, i, got.Data[i], want.Data[i])
				}
			}
		}
	}
	if sgemmTile != nil && kernelRuns < len(shapes)/2 {
		t.Errorf("the kernel ran on only %d of %d shapes", kernelRuns, len(shapes))
	}
}

// TestMulT32OrderMatters makes sure the data above can tell summation
// orders apart: a plain running sum differs from gonum's in some entry.
func TestMulT32OrderMatters(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	a, b := randomGeneral32(rng, 8, 64), randomGeneral32(rng, 8, 64)
	want := blas32.General{Rows: 8, Cols: 8, Stride: 8, Data: make([]float32, 64)}
	blas32.Gemm(blas.NoTrans, blas.Trans, 1, a, b, 0, want)
	differ := 0
	for i := 0; i < 8; i++ {
		for j := 0; j < 8; j++ {
			var s float32
			for q := 0; q < 64; q++ {
				s += a.Data[i*64+q] * b.Data[j*64+q]
			}
			if s != want.Data[i*8+j] {
				differ++
			}
		}
	}
	if differ == 0 {
		t.Error("a running sum equals gonum's sums everywhere: the test data cannot detect a wrong order")
	}
}

func TestMulT32BadInput(t *testing.T) {
	if _, err := PackT32(blas32.General{}); err == nil {
		t.Error("PackT32 accepted an empty matrix")
	}
	p, err := PackT32(blas32.General{Rows: 2, Cols: 4, Stride: 4, Data: make([]float32, 8)})
	if err != nil {
		t.Fatal(err)
	}
	c := blas32.General{Rows: 3, Cols: 2, Stride: 2, Data: make([]float32, 6)}
	if err := MulT32(c, blas32.General{Rows: 3, Cols: 5, Stride: 5, Data: make([]float32, 15)}, p, true); err == nil {
		t.Error("MulT32 accepted a with 5 columns against B with 4")
	}
	if err := MulT32(c, blas32.General{Rows: 3, Cols: 4, Stride: 4, Data: make([]float32, 4)}, p, true); err == nil {
		t.Error("MulT32 accepted a too short for its shape")
	}
	if err := MulT32(c, blas32.General{Rows: 3, Cols: 4, Stride: 4, Data: make([]float32, 12)}, nil, true); err == nil {
		t.Error("MulT32 accepted no packed matrix")
	}
}

func BenchmarkMulT32(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := randomGeneral32(rng, 512, 64), randomGeneral32(rng, 4096, 64)
	c := blas32.General{Rows: 512, Cols: 4096, Stride: 4096, Data: make([]float32, 512*4096)}
	flop := 2 * 512 * 4096 * 64.0
	b.Run("gonum", func(b *testing.B) {
		for b.Loop() {
			blas32.Gemm(blas.NoTrans, blas.Trans, 1, x, y, 0, c)
		}
		b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	p, _ := PackT32(y)
	b.Run("MulT32", func(b *testing.B) {
		for b.Loop() {
			MulT32(c, x, p, true)
		}
		b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}
