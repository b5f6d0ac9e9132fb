package linalg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// TestSetKernelsMatchAdding checks every storing kernel against its adding
// kernel on a cleared tile, bit for bit, with the tile first full of NaN.
func TestSetKernelsMatchAdding(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const kc = 37
	ap, bp := make([]float64, kc*mr), make([]float64, kc*nr)
	for i := range ap {
		ap[i] = r.NormFloat64()
	}
	for i := range bp {
		bp[i] = r.NormFloat64()
	}
	bp[5] = math.Copysign(0, -1) // a −0 product: the sums must still start at +0
	set := map[string]func(int, []float64, []float64, []float64, int){"clear-then-kernel": clearThenKernel}
	for name, f := range setKernels {
		set[name] = f
	}
	want := make([]float64, mr*nr)
	kernel(kc, ap, bp, want, nr)
	for name, f := range set {
		got := make([]float64, mr*nr)
		for i := range got {
			got[i] = math.NaN()
		}
		f(kc, ap, bp, got, nr)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%s: entry %d is %v, the adding kernel's %v", name, i, got[i], want[i])
			}
		}
	}
}

// TestMulOverwritesAsBefore checks that Mul and MulPacked, which no longer
// clear c, give what accumulating into a zero c gave, whatever c held.
func TestMulOverwritesAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, s := range [][3]int{{7, 5, 3}, {100, 70, 300}, {200, 130, 513}, {9, 48, 64}} {
		m, n, k := s[0], s[1], s[2]
		a, b := randomGeneral(r, m, k), randomGeneral(r, n, k)
		want := make([]float64, m*n)
		gemm(m, n, k, 1, operand{data: a.Data, ld: a.Stride}, operand{data: b.Data, ld: b.Stride}, want, n, false)
		p, err := PackT(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Mul", "MulPacked"} {
			c := blas64.General{Rows: m, Cols: n, Stride: n, Data: make([]float64, m*n)}
			for i := range c.Data {
				c.Data[i] = math.NaN()
			}
			if name == "Mul" {
				err = Mul(c, a, b, false, true)
			} else {
				err = MulPacked(c, a, p)
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if math.Float64bits(c.Data[i]) != math.Float64bits(want[i]) {
					t.Fatalf("%s %d×%d×%d: entry %d is %v, accumulating gave %v", name, m, n, k, i, c.Data[i], want[i])
				}
			}
		}
	}
}

// TestSymOuterOverwritesAsBefore checks SymOuter, which no longer clears
// the upper triangle, against accumulating into a zero one; the strict
// lower triangle must stay as it was.
func TestSymOuterOverwritesAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, s := range [][2]int{{5, 3}, {100, 300}, {250, 64}} {
		n, k := s[0], s[1]
		a := randomGeneral(r, n, k)
		want := make([]float64, n*n)
		x := operand{data: a.Data, ld: a.Stride}
		gemm(n, n, k, 1, x, x, want, n, true)
		c := blas64.Symmetric{N: n, Stride: n, Uplo: blas.Upper, Data: make([]float64, n*n)}
		for i := range c.Data {
			c.Data[i] = math.NaN()
		}
		if err := SymOuter(c, a); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				got := c.Data[i*n+j]
				if j < i && !math.IsNaN(got) {
					t.Fatalf("%d×%d: lower entry (%d,%d) changed to %v", n, k, i, j, got)
				}
				if j >= i && math.Float64bits(got) != math.Float64bits(want[i*n+j]) {
					t.Fatalf("%d×%d: entry (%d,%d) is %v, accumulating gave %v", n, k, i, j, got, want[i*n+j])
				}
			}
		}
	}
}

func randomGeneral(r *rand.Rand, rows, cols int) blas64.General {
	g := blas64.General{Rows: rows, Cols: cols, Stride: cols, Data: make([]float64, rows*cols)}
	for i := range g.Data {
		g.Data[i] = r.NormFloat64()
	}
	return g
}

// TestParallelPackMatchesPack checks packBoth and packTiles, on several
// goroutines, against pack on one, for row-major and k-major operands.
func TestParallelPackMatchesPack(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, s := range [][3]int{{300, 200, 256}, {40, 1500, 100}, {1000, 7, 64}} {
		m, n, kb := s[0], s[1], s[2]
		for _, kMajor := range []bool{false, true} {
			xs, ys := randomGeneral(r, m, kb+3), randomGeneral(r, n, kb+3)
			x, y := operand{data: xs.Data, ld: xs.Stride}, operand{data: ys.Data, ld: ys.Stride}
			if kMajor { // the same data read as k-major (kb+3 rows of m values)
				x, y = operand{data: xs.Data, ld: m, kMajor: true}, operand{data: ys.Data, ld: n, kMajor: true}
			}
			wantA, wantB := make([]float64, (m+mr)*kb), make([]float64, (n+nr)*kb)
			pack(wantA, x, m, mr, 2, kb, -1)
			pack(wantB, y, n, nr, 2, kb, 1)
			for _, workers := range []int{2, 3, 5} {
				gotA, gotB, gotT := make([]float64, len(wantA)), make([]float64, len(wantB)), make([]float64, len(wantA))
				packBoth(gotA, x, m, gotB, y, n, 2, kb, -1, workers)
				packTiles(gotT, x, m, mr, 2, kb, -1, workers)
				for i := range wantA {
					if gotA[i] != wantA[i] || gotT[i] != wantA[i] {
						t.Fatalf("%v kMajor=%v workers=%d: packed X differs at %d", s, kMajor, workers, i)
					}
				}
				for i := range wantB {
					if gotB[i] != wantB[i] {
						t.Fatalf("%v kMajor=%v workers=%d: packed Y differs at %d", s, kMajor, workers, i)
					}
				}
			}
		}
	}
}

// TestWideLeavesByColumns checks that the triangular-solve leaves split
// by columns over the cores give the serial leaves' result bit for bit.
func TestWideLeavesByColumns(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	const n, w = leaf, 1000
	u := randomGeneral(r, n, n).Data
	for i := 0; i < n; i++ {
		u[i*n+i] = 2 + math.Abs(u[i*n+i]) // a well-conditioned upper factor
	}
	b := randomGeneral(r, n, w).Data
	for _, solve := range []struct {
		name         string
		split, whole func(n, w int, u []float64, ldu int, b []float64, ldb int)
	}{{"UT", trsmUT, trsmUTLeaf}, {"UN", trsmUN, trsmUNLeaf}} {
		got, want := append([]float64(nil), b...), append([]float64(nil), b...)
		solve.split(n, w, u, n, got, w)
		solve.whole(n, w, u, n, want, w)
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("trsm%s: entry %d is %v split by columns, %v whole", solve.name, i, got[i], want[i])
			}
		}
	}
}

// TestPackMatchesDefinition checks pack against its definition, entry by
// entry from operand.at, for both storage orders, α = 1 and α = −1, and
// tiles cut short by the edge.
func TestPackMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, s := range [][3]int{{37, 29, 11}, {48, 256, 5}, {7, 3, 2}} {
		rows, kb, p0 := s[0], s[1], s[2]
		g := randomGeneral(r, rows, kb+p0+1)
		for _, x := range []operand{{data: g.Data, ld: g.Stride}, {data: g.Data, ld: rows, kMajor: true}} {
			for _, w := range []int{mr, nr} {
				for _, alpha := range []float64{1, -1} {
					tiles := (rows + w - 1) / w
					dst := make([]float64, tiles*w*kb)
					for i := range dst {
						dst[i] = math.NaN()
					}
					pack(dst, x, rows, w, p0, kb, alpha)
					for tt := 0; tt < tiles; tt++ {
						for p := 0; p < kb; p++ {
							for q := 0; q < w; q++ {
								want, i := 0.0, tt*w+q
								if i < rows {
									want = alpha * x.at(i, p0+p)
								}
								if got := dst[tt*w*kb+p*w+q]; math.Float64bits(got) != math.Float64bits(want) {
									t.Fatalf("%v kMajor=%v w=%d α=%v: tile %d (p %d, row %d) is %v, want %v", s, x.kMajor, w, alpha, tt, p, q, got, want)
								}
							}
						}
					}
				}
			}
		}
	}
}
