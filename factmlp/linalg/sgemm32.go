package linalg

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Float32 products for the float32 half of the exact check (package mlp).
// The check must keep its float32 answers (which keys decode, the margins)
// bit for bit, and those were gonum's blas32.Gemm(NoTrans, Trans). Gonum
// sums entry (i, j) as a run of f32.DotUnitary calls over blocks of
// gonumBlock values of k (one call over all of k when the product has fewer
// than gonumMinParBlocks blocks of gonumBlock×gonumBlock), adding each to
// c; DotUnitary (SSE) keeps eight partial sums by k mod 8, adds the halves,
// then sums a tail of fours and of singles, then (s0+s1)+(s2+s3). MulT32
// runs that same sequence of float32 operations, 16 entries at a time on
// AVX-512, about ten times faster than gonum on this project's machines.
const (
	gonumBlock        = 64 // gonum's blockSize
	gonumMinParBlocks = 4  // gonum's minParBlock
	tileRows          = 3  // rows of A per sgemmTile call
	tileCols          = 16 // columns of B per panel
)

// sgemmTile adds A[3×kc]·Bᵀ (B a k-major panel of 16 columns) to c in
// DotUnitary's order of operations: 8·n8 values (n8 even) into the eight
// partial sums, then n4 groups of four, then n1 single values. Nil when
// this CPU or build has no kernel: MulT32 then calls gonum itself.
var sgemmTile func(n8, n4, n1 int, a *float32, lda int, bp, c *float32, ldc int)

// Packed32 is a float32 matrix B (n×k) prepared once for many products
// a·Bᵀ (MulT32).
type Packed32 struct {
	b      blas32.General
	panels []float32 // nil: MulT32 calls gonum
}

// PackT32 prepares b (n×k) for MulT32. The kernel reproduces DotUnitary
// only when every row of b starts 16-byte aligned (DotUnitary first sums
// single values up to that alignment), which a freshly made slice of at
// least 32 bytes with k a multiple of 4 guarantees; otherwise, and on CPUs
// without AVX-512, MulT32 calls gonum. b must not change while p is used.
func PackT32(b blas32.General) (*Packed32, error) {
	if b.Rows <= 0 || b.Cols <= 0 || b.Stride < b.Cols || len(b.Data) < (b.Rows-1)*b.Stride+b.Cols {
		return nil, fmt.Errorf("linalg: PackT32: b is %d×%d with stride %d and %d values; it must be a non-empty row-major matrix", b.Rows, b.Cols, b.Stride, len(b.Data))
	}
	p := &Packed32{b: b}
	aligned := uintptr(unsafe.Pointer(&b.Data[0]))%16 == 0 && b.Stride%4 == 0
	if sgemmTile == nil || !aligned {
		return p, nil
	}
	n, k := b.Rows, b.Cols
	tiles := (n + tileCols - 1) / tileCols
	p.panels = make([]float32, tiles*k*tileCols)
	for t := 0; t < tiles; t++ {
		panel := p.panels[t*k*tileCols : (t+1)*k*tileCols]
		for c := 0; c < tileCols && t*tileCols+c < n; c++ {
			row := b.Data[(t*tileCols+c)*b.Stride:]
			for q := 0; q < k; q++ {
				panel[q*tileCols+c] = row[q]
			}
		}
	}
	return p, nil
}

// MulT32 sets c (m×n) = a·Bᵀ for a (m×k) and B (n×k) packed by PackT32,
// bit for bit as blas32.Gemm(blas.NoTrans, blas.Trans, 1, a, B, 0, c).
// Every entry is summed by one goroutine in gonum's order, so the result
// does not depend on the number of threads. With parallel false it runs on
// the calling goroutine alone, for callers that spread their products over
// goroutines themselves (gonum's fallback still uses all cores).
func MulT32(c, a blas32.General, p *Packed32, parallel bool) error {
	if p == nil {
		return fmt.Errorf("linalg: MulT32: no packed matrix; pack it with PackT32")
	}
	m, k, n := a.Rows, a.Cols, p.b.Rows
	if k != p.b.Cols || c.Rows != m || c.Cols != n || m <= 0 {
		return fmt.Errorf("linalg: MulT32: a is %d×%d, the packed B %d×%d, c %d×%d; want c = a·Bᵀ, (m×k)·(k×n) with m×n c", a.Rows, a.Cols, n, p.b.Cols, c.Rows, c.Cols)
	}
	if a.Stride < k || len(a.Data) < (m-1)*a.Stride+k || c.Stride < n || len(c.Data) < (m-1)*c.Stride+n {
		return fmt.Errorf("linalg: MulT32: a (stride %d, %d values) or c (stride %d, %d values) is too short for its shape", a.Stride, len(a.Data), c.Stride, len(c.Data))
	}
	if p.panels == nil {
		blas32.Gemm(blas.NoTrans, blas.Trans, 1, a, p.b, 0, c)
		return nil
	}
	for i := 0; i < m; i++ {
		clear(c.Data[i*c.Stride : i*c.Stride+n])
	}
	kBlock := k // gonum's serial path: one DotUnitary over all of k
	if blocksOf(m, gonumBlock)*blocksOf(n, gonumBlock) >= gonumMinParBlocks {
		kBlock = gonumBlock
	}
	const groupTiles = 16 // row tiles per task: 48 rows of a stay in cache while B passes
	rowTiles := blocksOf(m, tileRows)
	tasks := blocksOf(rowTiles, groupTiles)
	workers := 1
	if parallel && 2*float64(m)*float64(n)*float64(k) >= parallelFlops {
		workers = min(runtime.GOMAXPROCS(0), tasks)
	}
	var next atomic.Int64
	run := func() {
		var edgeA []float32
		var edgeC [tileRows * tileCols]float32
		for {
			t := int(next.Add(1)) - 1
			if t >= tasks {
				return
			}
			for rt := t * groupTiles; rt < min(rowTiles, (t+1)*groupTiles); rt++ {
				i0 := rt * tileRows
				rows := min(tileRows, m-i0)
				aData, lda := a.Data[i0*a.Stride:], a.Stride
				if rows < tileRows { // zero rows below the edge
					if edgeA == nil {
						edgeA = make([]float32, tileRows*k)
					}
					clear(edgeA)
					for r := 0; r < rows; r++ {
						copy(edgeA[r*k:(r+1)*k], a.Data[(i0+r)*a.Stride:(i0+r)*a.Stride+k])
					}
					aData, lda = edgeA, k
				}
				for ct := 0; ct*tileCols < n; ct++ {
					panel := p.panels[ct*k*tileCols : (ct+1)*k*tileCols]
					j0 := ct * tileCols
					cols := min(tileCols, n-j0)
					if rows == tileRows && cols == tileCols {
						tileBlocks(aData, lda, panel, c.Data[i0*c.Stride+j0:], c.Stride, k, kBlock)
						continue
					}
					for r := 0; r < rows; r++ {
						copy(edgeC[r*tileCols:r*tileCols+cols], c.Data[(i0+r)*c.Stride+j0:])
					}
					tileBlocks(aData, lda, panel, edgeC[:], tileCols, k, kBlock)
					for r := 0; r < rows; r++ {
						copy(c.Data[(i0+r)*c.Stride+j0:(i0+r)*c.Stride+j0+cols], edgeC[r*tileCols:r*tileCols+cols])
					}
				}
			}
		}
	}
	if workers == 1 {
		run()
		return nil
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(run)
	}
	run()
	wg.Wait()
	return nil
}

// tileBlocks adds the 3×16 tile of a·panelᵀ to c, one DotUnitary per
// block of kBlock values of k, in order.
func tileBlocks(a []float32, lda int, panel, c []float32, ldc, k, kBlock int) {
	// Bounds checks here stand in for the ones the assembly cannot make.
	_, _, _ = a[(tileRows-1)*lda+k-1], panel[k*tileCols-1], c[(tileRows-1)*ldc+tileCols-1]
	for k0 := 0; k0 < k; k0 += kBlock {
		kb := min(kBlock, k-k0)
		sgemmTile(2*(kb/16), (kb%16)/4, kb%4, &a[k0], lda, &panel[k0*tileCols], &c[0], ldc)
	}
}

func blocksOf(n, size int) int { return (n + size - 1) / size }

// Dims returns the size of the packed matrix B.
func (p *Packed32) Dims() (rows, cols int) { return p.b.Rows, p.b.Cols }
