package linalg

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// operand is an m×k matrix in row-major storage, stored as itself
// (element (i, p) at data[i·ld+p]) or as its transpose (kMajor: at
// data[p·ld+i]). The blocked algorithms need both: Cholesky's trailing
// update contracts over rows of U, the Gram matrix over columns of K.
type operand struct {
	data   []float64
	ld     int
	kMajor bool
}

func (x operand) at(i, p int) float64 {
	if x.kMajor {
		return x.data[p*x.ld+i]
	}
	return x.data[i*x.ld+p]
}

const (
	// kcMax is the depth of one packed block: an nr×kcMax panel of Y (48 KiB)
	// stays in L1/L2 while the kernel sweeps a block of X.
	kcMax = 256
	// mcTiles is the height of a block of X in kernel tiles: 96×kcMax
	// values (192 KiB) stay in L2 while every panel of Y passes by.
	mcTiles = 12
	// parallelFlops is the smallest product worth spreading over goroutines.
	parallelFlops = 1 << 22
)

// gemm adds alpha·Σ_p x(i,p)·y(j,p) to c[i·ldc+j] for i < m, j < n; with
// upper (m = n, x and y the same block) only for j ≥ i. Goroutines take
// row blocks of mcTiles tiles; every element of c is summed by one
// goroutine in a fixed order, so the result does not depend on the number
// of threads.
func gemm(m, n, k int, alpha float64, x, y operand, c []float64, ldc int, upper bool) {
	gemmPacked(m, n, k, alpha, x, y, nil, c, ldc, upper, true, false)
}

// gemmPacked is gemm with y's panels packed beforehand when pre is not nil
// (y is then unused), and on the calling goroutine alone unless parallel.
// With overwrite, c's entries are set rather than added to (what c held
// does not matter; the values are those of adding to a zero c).
func gemmPacked(m, n, k int, alpha float64, x, y operand, pre *Packed, c []float64, ldc int, upper, parallel, overwrite bool) {
	if m == 0 || n == 0 || k == 0 {
		return
	}
	mTiles, nTiles := (m+mr-1)/mr, (n+nr-1)/nr
	blocks := (mTiles + mcTiles - 1) / mcTiles
	kc := min(k, kcMax)
	ap := getBuf(mTiles * mr * kc)
	defer putBuf(ap)
	var bp *[]float64
	if pre == nil {
		bp = getBuf(nTiles * nr * kc)
		defer putBuf(bp)
	}
	workers, jChunks := 1, 1
	if parallel && 2*float64(m)*float64(n)*float64(k) >= parallelFlops {
		workers = runtime.GOMAXPROCS(0)
		if blocks < 4*workers { // short and wide: split the columns too
			jChunks = min(nTiles, (4*workers+blocks-1)/blocks)
		}
	}
	chunk := (nTiles + jChunks - 1) / jChunks
	tasks := blocks * jChunks
	workers = min(workers, tasks)
	for p0 := 0; p0 < k; p0 += kc {
		kb := min(kc, k-p0)
		var panels []float64
		if pre != nil {
			panels = pre.panels[p0/kc]
			packTiles(*ap, x, m, mr, p0, kb, alpha, workers)
		} else {
			panels = *bp
			packBoth(*ap, x, m, *bp, y, n, p0, kb, alpha, workers)
		}
		set := overwrite && p0 == 0 // the first depth block sets c
		var next atomic.Int64       // tasks in order: the first are the largest when upper
		run := func() {
			var tmp [mr * nr]float64
			for {
				t := int(next.Add(1)) - 1
				if t >= tasks {
					return
				}
				jc := t % jChunks
				block(*ap, panels, kb, t/jChunks, jc*chunk, min(nTiles, (jc+1)*chunk), m, n, c, ldc, upper, set, &tmp)
			}
		}
		if workers == 1 {
			run()
			continue
		}
		var wg sync.WaitGroup
		for range workers - 1 {
			wg.Go(run)
		}
		run()
		wg.Wait()
	}
}

// block multiplies row block b of the packed X by the column panels
// [jtLo, jtHi) of the packed Y into c, adding to it or, with set, storing.
func block(ap, bp []float64, kb, b, jtLo, jtHi, m, n int, c []float64, ldc int, upper, set bool, tmp *[mr * nr]float64) {
	iFirst := b * mcTiles * mr
	iEnd := min(m, iFirst+mcTiles*mr)
	if upper {
		jtLo = max(jtLo, iFirst/nr) // panels left of the block hold no upper entries
	}
	for jt := jtLo; jt < jtHi; jt++ {
		j0 := jt * nr
		bpan := bp[jt*nr*kb : (jt+1)*nr*kb]
		for i0 := iFirst; i0 < iEnd; i0 += mr {
			if upper && j0+nr-1 < i0 {
				break // this and later tiles lie below the diagonal
			}
			apan := ap[(i0/mr)*mr*kb : (i0/mr+1)*mr*kb]
			if i0+mr <= m && j0+nr <= n && (!upper || j0 >= i0+mr-1) {
				if set {
					setKernel(kb, apan, bpan, c[i0*ldc+j0:], ldc)
				} else {
					kernel(kb, apan, bpan, c[i0*ldc+j0:], ldc)
				}
				continue
			}
			// Edge or diagonal tile: into tmp, then add the entries that exist.
			clear(tmp[:])
			kernel(kb, apan, bpan, tmp[:], nr)
			for r := 0; r < mr && i0+r < m; r++ {
				jFirst := 0
				if upper {
					jFirst = max(0, i0+r-j0)
				}
				row := c[(i0+r)*ldc+j0:]
				for jj := jFirst; jj < nr && j0+jj < n; jj++ {
					if set {
						row[jj] = tmp[r*nr+jj]
					} else {
						row[jj] += tmp[r*nr+jj]
					}
				}
			}
		}
	}
}

// packParallelMin is the fewest values worth packing on more than one
// goroutine: a product with few rows or columns (the triangular solves'
// updates, the encoder's solve with one column per code) spends as long
// packing as multiplying, and packing on one core would leave the other idle.
const packParallelMin = 1 << 15

// packTiles packs rows of x as pack does, its tiles split over workers
// goroutines when there are enough; the packed values do not depend on who
// packs them.
func packTiles(dst []float64, x operand, rows, w, p0, kb int, alpha float64, workers int) {
	tiles := (rows + w - 1) / w
	if workers <= 1 || rows*kb < packParallelMin {
		pack(dst, x, rows, w, p0, kb, alpha)
		return
	}
	var wg sync.WaitGroup
	per := (tiles + workers - 1) / workers
	for t0 := 0; t0 < tiles; t0 += per {
		t1 := min(tiles, t0+per)
		wg.Go(func() { packRange(dst, x, rows, w, p0, kb, alpha, t0, t1) })
	}
	wg.Wait()
}

// packBoth packs x's rows into ap (tiles of mr) and y's into bp (tiles of
// nr), on up to workers goroutines when there is enough to pack.
func packBoth(ap []float64, x operand, m int, bp []float64, y operand, n, p0, kb int, alpha float64, workers int) {
	if workers <= 1 || (m+n)*kb < packParallelMin {
		pack(ap, x, m, mr, p0, kb, alpha)
		pack(bp, y, n, nr, p0, kb, 1)
		return
	}
	// Each goroutine takes an equal share of the values to copy: a range of
	// X's tiles, then one of Y's.
	xt, yt := (m+mr-1)/mr, (n+nr-1)/nr
	total := xt*mr + yt*nr
	var wg sync.WaitGroup
	for g := range workers {
		lo, hi := total*g/workers, total*(g+1)/workers
		wg.Go(func() {
			// Tiles of X cover [0, xt·mr), tiles of Y the rest.
			if a0, a1 := (lo+mr-1)/mr, min(xt, (hi+mr-1)/mr); a0 < a1 {
				packRange(ap, x, m, mr, p0, kb, alpha, a0, a1)
			}
			if b0, b1 := max(0, (lo-xt*mr+nr-1)/nr), min(yt, max(0, (hi-xt*mr+nr-1)/nr)); b0 < b1 {
				packRange(bp, y, n, nr, p0, kb, 1, b0, b1)
			}
		})
	}
	wg.Wait()
}

// pack copies alpha·x(i, p0+p) for i < rows, p < kb into dst as tiles of
// width w, each k-major (dst[t·w·kb + p·w + r] = x(t·w+r, p0+p)); rows past
// the end are zero.
func pack(dst []float64, x operand, rows, w, p0, kb int, alpha float64) {
	packRange(dst, x, rows, w, p0, kb, alpha, 0, (rows+w-1)/w)
}

// packRange is pack for tiles [t0, t1) only.
func packRange(dst []float64, x operand, rows, w, p0, kb int, alpha float64, t0, t1 int) {
	for t := t0; t < t1; t++ {
		tile := dst[t*w*kb : (t+1)*w*kb]
		i0 := t * w
		valid := min(w, rows-i0)
		if x.kMajor {
			for p := 0; p < kb; p++ {
				src := x.data[(p0+p)*x.ld+i0 : (p0+p)*x.ld+i0+valid]
				out := tile[p*w : p*w+w]
				if alpha == 1 { // 1·v is v: a plain copy
					copy(out, src)
				} else {
					for r, v := range src {
						out[r] = alpha * v
					}
				}
				clear(out[valid:])
			}
			continue
		}
		// Row-major x: a transpose. Four rows at a time, so that each p
		// writes four neighbouring values of the tile.
		r := 0
		for ; r+4 <= valid; r += 4 {
			base := (i0+r)*x.ld + p0
			s0 := x.data[base : base+kb]
			s1 := x.data[base+x.ld : base+x.ld+kb]
			s2 := x.data[base+2*x.ld : base+2*x.ld+kb]
			s3 := x.data[base+3*x.ld : base+3*x.ld+kb]
			for p := range s0 {
				o := tile[p*w+r : p*w+r+4 : p*w+r+4]
				o[0], o[1], o[2], o[3] = alpha*s0[p], alpha*s1[p], alpha*s2[p], alpha*s3[p]
			}
		}
		for ; r < valid; r++ {
			src := x.data[(i0+r)*x.ld+p0 : (i0+r)*x.ld+p0+kb]
			for p, v := range src {
				tile[p*w+r] = alpha * v
			}
		}
		if valid < w {
			for p := 0; p < kb; p++ {
				clear(tile[p*w+valid : p*w+w])
			}
		}
	}
}

var bufPool sync.Pool

// getBuf returns a scratch slice of length n from a pool (packed panels are
// megabytes at the sizes this package is for; reusing them spares the GC).
func getBuf(n int) *[]float64 {
	if b, ok := bufPool.Get().(*[]float64); ok && cap(*b) >= n {
		*b = (*b)[:n]
		return b
	}
	b := make([]float64, n)
	return &b
}

func putBuf(b *[]float64) { bufPool.Put(b) }
