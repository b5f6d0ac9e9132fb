package geometry

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/linalg"
	"github.com/factmlp/factmlp/factmlp/progress"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Default tolerances of Decodability.
const (
	// DefaultTol is the duality gap (in units of ρ) every anchor is solved to.
	DefaultTol = 1e-10
	// DefaultUndecodableTol: a value with ρ_i at or below it is undecodable.
	DefaultUndecodableTol = 1e-9
)

// Options tunes Decodability. The zero value is ready to use.
type Options struct {
	// Tol is the target duality gap per anchor (default DefaultTol).
	Tol float64
	// UndecodableTol: values with ρ_i ≤ UndecodableTol are reported as
	// undecodable (default DefaultUndecodableTol).
	UndecodableTol float64
	// Workers is the number of goroutines (default GOMAXPROCS).
	Workers int
	// Anchors restricts the computation to these value indices (nil = all).
	// Rows of other values in Separators are zero and PerValue is NaN; Rho is
	// the minimum over the anchors computed.
	Anchors []int
	// Progress receives (anchors done, anchors total).
	Progress progress.Func
}

// Result is the decodability of a value table.
type Result struct {
	Rho      float64   // ρ(V) = min_i ρ_i
	PerValue []float64 // ρ_i, the value min_j ⟨u*_i, a_ij⟩ attained by u*_i
	// Separators holds u*_i as unit rows (|V|×d); rows of undecodable
	// values are zero.
	Separators *mat.Dense
	// Undecodable lists the values with ρ_i ≤ UndecodableTol, ascending.
	Undecodable []int
	// Gap[i] is the certified duality gap of anchor i: the true ρ_i lies in
	// [PerValue[i], PerValue[i]+Gap[i]].
	Gap []float64
	// Support[i] lists the differences j whose normalised difference a_ij
	// carries weight in the minimum-norm point (the active constraints: these
	// a_ij lie on the boundary of the smallest cap), and Weights[i] their
	// convex weights λ_ij (summing to 1). p*_i = Σ λ_ij a_ij.
	Support [][]int
	Weights [][]float64
}

// MaxGap is the largest certified duality gap over the anchors computed.
func (r *Result) MaxGap() float64 {
	g := 0.0
	for _, x := range r.Gap {
		if !math.IsNaN(x) {
			g = math.Max(g, x)
		}
	}
	return g
}

// Decodability computes ρ_i, the separators u*_i and ρ(V) for the rows of
// values. Values must be finite and pairwise distinct, with at least two rows.
func Decodability(values *mat.Dense, opts Options) (*Result, error) {
	if values == nil {
		return nil, errors.New("geometry: values are required")
	}
	n, d := values.Dims()
	if n < 2 {
		return nil, fmt.Errorf("geometry: decodability needs at least 2 values, got %d", n)
	}
	if !finiteDistinct(values) { // factset's checks name the offending rows
		if err := factset.CheckFinite("values", values); err != nil {
			return nil, err
		}
		if err := factset.CheckDistinctRows("values", values); err != nil {
			return nil, err
		}
	}
	if opts.Tol <= 0 {
		opts.Tol = DefaultTol
	}
	if opts.UndecodableTol <= 0 {
		opts.UndecodableTol = DefaultUndecodableTol
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	anchors := opts.Anchors
	if anchors == nil {
		anchors = make([]int, n)
		for i := range anchors {
			anchors[i] = i
		}
	}
	for _, a := range anchors {
		if a < 0 || a >= n {
			return nil, fmt.Errorf("geometry: anchor %d is out of range; value indices are in [0, %d)", a, n)
		}
	}
	// Contiguous row-major copy.
	raw := make([]float64, n*d)
	for i := 0; i < n; i++ {
		copy(raw[i*d:(i+1)*d], values.RawRowView(i))
	}
	res := &Result{
		PerValue:   make([]float64, n),
		Separators: mat.NewDense(n, d, nil),
		Gap:        make([]float64, n),
		Support:    make([][]int, n),
		Weights:    make([][]float64, n),
	}
	for i := range res.PerValue {
		res.PerValue[i] = math.NaN()
		res.Gap[i] = math.NaN()
	}
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		floats.Add(mean, raw[i*d:(i+1)*d])
	}
	floats.Scale(1/float64(n), mean)
	vmax := 0.0
	sq := make([]float64, n)
	for i := 0; i < n; i++ {
		sq[i] = floats.Dot(raw[i*d:(i+1)*d], raw[i*d:(i+1)*d])
		vmax = math.Max(vmax, math.Sqrt(sq[i]))
	}
	// ⟨v_j, mean⟩ turns each anchor's first scan into Gram-row arithmetic.
	vmean := make([]float64, n)
	for j := range vmean {
		vmean[j] = floats.Dot(raw[j*d:(j+1)*d], mean)
	}
	var next, done atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var errMu sync.Mutex
	// Workers take anchorBlock anchors at a time and solve them side by
	// side: the block's Gram rows ⟨v_i, v_j⟩ come from one product on
	// package linalg's kernel, and so does every later round of scans
	// ⟨x_i, v_j⟩ (one row per anchor still running), so V is read once per
	// round for the block instead of once per anchor and scan (blocks of up
	// to 32, at least four per worker). Each entry of a product is summed
	// in the same order whatever the block holds, so an anchor's result
	// does not depend on its block or on the number of workers.
	anchorBlock := max(1, min(32, len(anchors)/(4*opts.Workers)))
	blocks := (len(anchors) + anchorBlock - 1) / anchorBlock
	workers := min(opts.Workers, blocks)
	// V is packed for the kernel once; each worker's products run on its
	// own goroutine (the workers already fill the cores).
	packed, err := linalg.PackT(blas64.General{Rows: n, Cols: d, Stride: d, Data: raw})
	if err != nil {
		return nil, err
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sol := make([]*solver, anchorBlock)
			for r := range sol {
				sol[r] = newSolver(raw, mean, n, d, opts.Tol)
				sol[r].vmax, sol[r].sq, sol[r].vmean = vmax, sq, vmean
			}
			rows := make([]float64, anchorBlock*d)
			prod := make([]float64, anchorBlock*n)
			running := make([]int, 0, anchorBlock)
			fail := func(err error) {
				errMu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				errMu.Unlock()
			}
			// product sets prod's row k to V·rows' row k for k < m.
			product := func(m int) error {
				return linalg.MulPacked(blas64.General{Rows: m, Cols: n, Stride: n, Data: prod[:m*n]},
					blas64.General{Rows: m, Cols: d, Stride: d, Data: rows[:m*d]}, packed)
			}
			for {
				b := int(next.Add(1)) - 1
				if b >= blocks {
					return
				}
				ks := anchors[b*anchorBlock : min(len(anchors), (b+1)*anchorBlock)]
				for r, i := range ks {
					copy(rows[r*d:(r+1)*d], sol[r].row(i))
				}
				if err := product(len(ks)); err != nil {
					fail(err)
					return
				}
				running = running[:0]
				for r, i := range ks {
					if err := sol[r].start(i, prod[r*n:(r+1)*n]); err != nil {
						fail(err)
						return
					}
					running = append(running, r)
				}
				for len(running) > 0 {
					scanning := running[:0]
					for _, r := range running {
						if sol[r].improve() {
							copy(rows[len(scanning)*d:], sol[r].x)
							scanning = append(scanning, r)
						}
					}
					if len(scanning) == 0 {
						break
					}
					if err := product(len(scanning)); err != nil {
						fail(err)
						return
					}
					running = running[:0]
					for k, r := range scanning {
						if sol[r].extend(prod[k*n : (k+1)*n]) {
							running = append(running, r)
						}
					}
				}
				for r, i := range ks {
					out := sol[r].finish()
					res.PerValue[i] = out.rho
					res.Gap[i] = out.gap
					res.Support[i] = out.support
					res.Weights[i] = out.weights
					if out.rho > opts.UndecodableTol {
						res.Separators.SetRow(i, out.u)
					}
					opts.Progress.Report(int(done.Add(1)), len(anchors), "")
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	res.Rho = math.Inf(1)
	for _, i := range anchors {
		res.Rho = math.Min(res.Rho, res.PerValue[i])
		if res.PerValue[i] <= opts.UndecodableTol {
			res.Undecodable = append(res.Undecodable, i)
		}
	}
	sort.Ints(res.Undecodable)
	return res, nil
}

// finiteDistinct reports whether every entry of m is finite and no two rows
// are equal (−0 counted as +0, as factset.CheckDistinctRows does), by a
// fast 64-bit hash of each row: any repeated hash (equal rows, or rarely a
// collision) reports false, and the caller then runs factset's checks,
// which decide and name the rows.
// The decoder's refinement calls Decodability again and again, and
// factset's SHA-256 of every row cost milliseconds each time, serially.
func finiteDistinct(m *mat.Dense) bool {
	raw := m.RawMatrix()
	seed := maphash.MakeSeed()
	seen := make(map[uint64]struct{}, raw.Rows)
	buf := make([]byte, 8*raw.Cols)
	for i := 0; i < raw.Rows; i++ {
		for k, x := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
			if x == 0 {
				x = 0 // fold −0 into +0
			}
			binary.LittleEndian.PutUint64(buf[8*k:], math.Float64bits(x))
		}
		h := maphash.Bytes(seed, buf)
		if _, dup := seen[h]; dup {
			return false
		}
		seen[h] = struct{}{}
	}
	return true
}

// anchorResult is the solution for one anchor.
type anchorResult struct {
	rho, gap float64
	u        []float64
	support  []int
	weights  []float64
}

// solver holds per-worker scratch space for Wolfe's minimum-norm-point
// algorithm on the normalised differences of one anchor.
type solver struct {
	v     []float64 // n×d values, row-major
	mean  []float64 // mean value
	vmax  float64   // largest value norm (scales rounding errors of scan)
	sq    []float64 // ‖v_j‖²
	vmean []float64 // ⟨v_j, mean⟩
	wbuf  []float64 // working-set scratch
	n, d  int
	tol   float64

	anchor int       // i, the anchor being solved
	round  int       // scans done since start
	done   bool      // the last improve or extend found the minimum
	inv    []float64 // 1/‖v_i − v_j‖ (0 at j = i)
	score  []float64 // ⟨x, a_ij⟩ from the last full scan
	inW    []bool    // j is in the working set

	// Working set: indices and explicit rows a_ij.
	widx []int
	wrow []float64 // len(widx)×d

	// Corral: positions in the working set, convex weights, and the
	// Cholesky factor (lower, row-major s×s in a cap×cap buffer) of
	// B = M + 11ᵀ with M_kl = ⟨a_k, a_l⟩.
	corral []int
	lam    []float64
	chol   []float64
	capS   int
	zValid int // leading entries of tmp holding L⁻¹1 for the current factor (affineMin)

	x, y, tmp, alpha []float64
	top              []int
}

func newSolver(v, mean []float64, n, d int, tol float64) *solver {
	capS := d + 2
	return &solver{
		v: v, mean: mean, n: n, d: d, tol: tol,
		inv:   make([]float64, n),
		score: make([]float64, n),
		inW:   make([]bool, n),
		chol:  make([]float64, capS*capS),
		capS:  capS,
		x:     make([]float64, d),
		y:     make([]float64, d),
		tmp:   make([]float64, capS),
		alpha: make([]float64, capS),
	}
}

func (s *solver) row(j int) []float64 { return s.v[j*s.d : (j+1)*s.d] }
func (s *solver) wa(k int) []float64  { return s.wrow[k*s.d : (k+1)*s.d] }

// dist2 is ‖v_i − v_j‖² computed from the difference.
func (s *solver) dist2(i, j int) float64 {
	vi, vj := s.row(i), s.row(j)
	var ss float64
	for k, a := range vi {
		t := a - vj[k]
		ss += t * t
	}
	return ss
}

// addWork puts difference j into the working set.
func (s *solver) addWork(i, j int) {
	s.inW[j] = true
	if len(s.wbuf) <= len(s.widx) {
		s.wbuf = append(s.wbuf, 0)
	}
	s.widx = append(s.widx, j)
	vi, vj := s.row(i), s.row(j)
	for k := 0; k < s.d; k++ {
		s.wrow = append(s.wrow, (vi[k]-vj[k])*s.inv[j])
	}
}

// choleskyRebuild factors B for the current corral from row from on; rows
// before from are kept. Row r of the factor depends only on the first r+1
// corral elements, so when the corral lost elements at from and later only,
// the kept rows are what a full rebuild computes, bit for bit. It reports
// false when B is numerically singular.
func (s *solver) choleskyRebuild(from int) bool {
	s.zValid = min(s.zValid, from)
	c := s.chol
	m := len(s.corral)
	for r := from; r < m; r++ {
		ar := s.wa(s.corral[r])
		for q := 0; q <= r; q++ {
			sum := floats.Dot(ar, s.wa(s.corral[q])) + 1
			for k := 0; k < q; k++ {
				sum -= c[r*s.capS+k] * c[q*s.capS+k]
			}
			if q == r {
				if sum <= 1e-20 {
					return false
				}
				c[r*s.capS+r] = math.Sqrt(sum)
			} else {
				c[r*s.capS+q] = sum / c[q*s.capS+q]
			}
		}
	}
	return true
}

// choleskyAppend extends the factor by working-set element w. It reports
// false (and changes nothing) when w is affinely dependent on the corral.
func (s *solver) choleskyAppend(w int) bool {
	m := len(s.corral)
	if m+1 > s.capS {
		return false
	}
	c := s.chol
	aw := s.wa(w)
	r := m
	for q := 0; q < m; q++ {
		sum := floats.Dot(aw, s.wa(s.corral[q])) + 1
		for k := 0; k < q; k++ {
			sum -= c[r*s.capS+k] * c[q*s.capS+k]
		}
		c[r*s.capS+q] = sum / c[q*s.capS+q]
	}
	sum := floats.Dot(aw, aw) + 1
	for k := 0; k < m; k++ {
		sum -= c[r*s.capS+k] * c[r*s.capS+k]
	}
	if sum <= 1e-20 {
		return false
	}
	c[r*s.capS+r] = math.Sqrt(sum)
	s.corral = append(s.corral, w)
	return true
}

// affineMin computes the affine minimum-norm coefficients α of the corral
// (Σα = 1) into s.alpha. z = L⁻¹1 is kept between calls: z_r depends only on
// the factor's first r+1 rows, so the entries before s.zValid (rows that
// neither an append nor a rebuild touched since) are what solving anew gives.
func (s *solver) affineMin() {
	m := len(s.corral)
	c := s.chol
	z := s.tmp[:m]
	for r := min(s.zValid, m); r < m; r++ { // L z = 1
		sum := 1.0
		for k := 0; k < r; k++ {
			sum -= c[r*s.capS+k] * z[k]
		}
		z[r] = sum / c[r*s.capS+r]
	}
	a := s.alpha[:m]
	for r := m - 1; r >= 0; r-- { // Lᵀ a = z
		sum := z[r]
		for k := r + 1; k < m; k++ {
			sum -= c[k*s.capS+r] * a[k]
		}
		a[r] = sum / c[r*s.capS+r]
	}
	s.zValid = m
	tot := floats.Sum(a)
	floats.Scale(1/tot, a)
}

func (s *solver) point(dst []float64, w []float64) {
	for k := range dst {
		dst[k] = 0
	}
	for r, p := range s.corral {
		floats.AddScaled(dst, w[r], s.wa(p))
	}
}

// wolfe runs Wolfe's algorithm over the working set from the current corral
// until no working-set difference improves the point by more than tol.
func (s *solver) wolfe() {
	const zeroNorm = 1e-15
	for iter := 0; iter < 50*(s.d+len(s.widx)); iter++ {
		xx := floats.Dot(s.x, s.x)
		if xx <= zeroNorm*zeroNorm {
			return
		}
		// Most violated working-set difference.
		best, bestVal := -1, math.Inf(1)
		m := len(s.widx)
		wy := s.wbuf[:m]
		blas64.Gemv(blas.NoTrans, 1, blas64.General{Rows: m, Cols: s.d, Stride: s.d, Data: s.wrow},
			blas64.Vector{N: s.d, Inc: 1, Data: s.x}, 0, blas64.Vector{N: m, Inc: 1, Data: wy})
		for k, v := range wy {
			if v < bestVal {
				best, bestVal = k, v
			}
		}
		if xx-bestVal <= s.tol*math.Sqrt(xx) {
			return
		}
		inCorral := false
		for _, p := range s.corral {
			if p == best {
				inCorral = true
			}
		}
		if inCorral || !s.choleskyAppend(best) {
			return // numerical stall: no further progress possible
		}
		s.lam = append(s.lam, 0)
		// Minor cycles.
		for {
			s.affineMin()
			m := len(s.corral)
			a := s.alpha[:m]
			allPos := true
			for _, x := range a {
				if x <= 1e-15 {
					allPos = false
					break
				}
			}
			if allPos {
				copy(s.lam, a)
				s.point(s.x, s.lam)
				break
			}
			theta := 1.0
			for r := 0; r < m; r++ {
				if a[r] <= 1e-15 && s.lam[r]-a[r] > 0 {
					theta = math.Min(theta, s.lam[r]/(s.lam[r]-a[r]))
				}
			}
			keepC, keepL := s.corral[:0], s.lam[:0]
			from := -1 // the first position that lost its element
			for r := 0; r < m; r++ {
				l := theta*a[r] + (1-theta)*s.lam[r]
				if l > 1e-15 {
					keepC = append(keepC, s.corral[r])
					keepL = append(keepL, l)
				} else if from < 0 {
					from = len(keepC)
				}
			}
			if len(keepC) == m { // guard: drop the smallest weight
				k := 0
				for r := 1; r < m; r++ {
					if keepL[r] < keepL[k] {
						k = r
					}
				}
				keepC = append(keepC[:k], keepC[k+1:]...)
				keepL = append(keepL[:k], keepL[k+1:]...)
				from = k
			}
			s.corral, s.lam = keepC, keepL
			floats.Scale(1/floats.Sum(s.lam), s.lam)
			if !s.choleskyRebuild(from) {
				// Should not happen for a subset of an affinely independent
				// corral; restart from the heaviest point.
				k := floats.MaxIdx(s.lam)
				s.corral, s.lam = s.corral[k:k+1], []float64{1}
				s.choleskyRebuild(0)
			}
			s.point(s.x, s.lam)
			if len(s.corral) == 1 {
				break
			}
		}
	}
}

// An anchor is solved in rounds: start picks the initial working set from
// the anchor's Gram row; improve runs Wolfe's algorithm over the working
// set and reports whether the point needs a scan over all differences;
// extend takes that scan, ⟨x, v_j⟩ for every j, and adds the most violated
// differences to the working set (false: none is violated, x is optimal);
// finish certifies ρ_i. Decodability batches the scans of a block of
// anchors into one product.

// start sets the solver up for anchor i, given its Gram row
// g_j = ⟨v_i, v_j⟩.
func (s *solver) start(i int, g []float64) error {
	d := s.d
	vi := s.row(i)
	// Initial direction u0: v_i minus the mean of the values (v_i if that
	// is 0). One pass computes 1/‖v_i − v_j‖ and the scores ⟨u0, a_ij⟩,
	// both from the Gram row: ⟨u0, v_j⟩ = g_j − ⟨v_j, mean⟩. These first
	// scores only pick the initial working set; later scans are direct.
	u0 := s.y
	floats.SubTo(u0, vi, s.mean)
	centred := floats.Norm(u0, 2) >= 1e-12
	if !centred {
		copy(u0, vi)
	}
	// ‖v_i − v_j‖² = ‖v_i‖² + ‖v_j‖² − 2⟨v_i, v_j⟩, recomputed from the
	// difference where cancellation would cost more than ~1e-12 relative.
	sqi := s.sq[i]
	for j, gj := range g {
		s.inW[j] = false
		d2 := sqi + s.sq[j] - 2*gj
		if d2 < 1e-4*(sqi+s.sq[j]) {
			d2 = s.dist2(i, j)
		}
		s.inv[j] = 1 / math.Sqrt(d2)
		if d2 == 0 && j != i {
			return fmt.Errorf("geometry: values %d and %d are identical; every value must be distinct", i, j)
		}
	}
	s.inv[i] = 0
	xi := floats.Dot(u0, vi)
	for j, gj := range g {
		if centred {
			gj -= s.vmean[j]
		}
		s.score[j] = (xi - gj) * s.inv[j]
	}
	s.score[i] = math.Inf(1)
	s.widx, s.wrow = s.widx[:0], s.wrow[:0]
	for _, j := range s.topK(math.Inf(1), min(s.n-1, max(16, d))) {
		s.addWork(i, j)
	}
	// Start from the most violated difference.
	s.corral = append(s.corral[:0], 0)
	s.lam = append(s.lam[:0], 1)
	s.choleskyRebuild(0)
	copy(s.x, s.wa(0))
	s.anchor, s.round, s.done = i, 0, false
	return nil
}

// improve runs Wolfe's algorithm over the working set; it reports whether
// the point x needs a scan (false: x is 0 or the anchor is finished).
func (s *solver) improve() bool {
	if s.done {
		return false
	}
	s.wolfe()
	if math.Sqrt(floats.Dot(s.x, s.x)) <= 1e-15 {
		s.done = true
	}
	return !s.done
}

// extend takes y_j = ⟨x, v_j⟩ for every j, sets score_j = ⟨x, a_ij⟩ and
// adds the most violated differences outside the working set. It reports
// whether any was added (false: x is the minimum-norm point, up to tol).
func (s *solver) extend(y []float64) bool {
	i := s.anchor
	xi := floats.Dot(s.x, s.row(i))
	for j, yj := range y {
		s.score[j] = (xi - yj) * s.inv[j]
	}
	s.score[i] = math.Inf(1)
	xx := floats.Dot(s.x, s.x)
	viol := s.topK(xx-s.tol*math.Sqrt(xx), max(8, s.d/4))
	if len(viol) == 0 || s.round > 4*s.n {
		s.done = true
		return false
	}
	s.round++
	for _, j := range viol {
		s.addWork(i, j)
	}
	return true
}

// finish returns ρ_i, u*_i and the certificate of the anchor.
func (s *solver) finish() anchorResult {
	i, d := s.anchor, s.d
	vi := s.row(i)
	// Certificate ρ_lo = min_j ⟨u, a_ij⟩, u = x/‖x‖. The last scan has
	// ⟨x, a_ij⟩ for every j up to rounding (error ≪ 1e-9·inv_j); recompute
	// with exact differences every j that could be the minimum.
	out := anchorResult{u: make([]float64, d)}
	norm := floats.Norm(s.x, 2)
	if norm <= 1e-15 {
		out.rho, out.gap = 0, norm
	} else {
		floats.ScaleTo(out.u, 1/norm, s.x)
		approx := math.Inf(1)
		for _, c := range s.score {
			approx = min(approx, c) // the builtin: math.Min's result (NaN, −0 alike), without a call
		}
		lo := math.Inf(1)
		slack := 1e-9 * (1 + s.vmax) // the product's left factor, as written before: (1e-9·(1+vmax))·(1+inv_j)
		for j, c := range s.score {
			if j == i || c > approx+slack*(1+s.inv[j]) {
				continue
			}
			vj := s.row(j)
			var dot, ss float64
			for k := 0; k < d; k++ {
				t := vi[k] - vj[k]
				dot += t * out.u[k]
				ss += t * t
			}
			lo = math.Min(lo, dot/math.Sqrt(ss))
		}
		out.rho = math.Max(lo, 0) // u = 0 is feasible, so ρ_i ≥ 0
		out.gap = math.Max(norm-out.rho, 0)
	}
	for r, p := range s.corral {
		out.support = append(out.support, s.widx[p])
		out.weights = append(out.weights, s.lam[r])
	}
	return out
}

// topK returns up to k indices j outside the working set with the smallest
// scores below thr, in increasing order of score.
func (s *solver) topK(thr float64, k int) []int {
	s.top = s.top[:0]
	worst := thr
	for j, c := range s.score {
		if c >= worst || s.inW[j] {
			continue
		}
		// Insert j keeping s.top sorted by score.
		pos := len(s.top)
		for pos > 0 && s.score[s.top[pos-1]] > c {
			pos--
		}
		if len(s.top) < k {
			s.top = append(s.top, 0)
		}
		copy(s.top[pos+1:], s.top[pos:len(s.top)-1])
		s.top[pos] = j
		if len(s.top) == k {
			worst = s.score[s.top[k-1]]
		}
	}
	return s.top
}

// CheckFeasible returns an error naming the target values of fs that are
// undecodable (ρ_i ≤ DefaultUndecodableTol): no MLP can store such a fact
// set under dot-product decoding. It computes ρ_i only for values that are
// some key's target.
func CheckFeasible(fs *factset.FactSet) error {
	if err := fs.Validate(); err != nil {
		return err
	}
	used := make([]bool, fs.NumValues())
	var anchors []int
	for _, j := range fs.Map {
		if !used[j] {
			used[j] = true
			anchors = append(anchors, j)
		}
	}
	sort.Ints(anchors)
	if fs.NumValues() < 2 {
		return nil
	}
	res, err := Decodability(fs.Values, Options{Anchors: anchors})
	if err != nil {
		return err
	}
	return InfeasibleError(fs, res)
}

// InfeasibleError returns nil when every target of fs is decodable in res,
// and otherwise an error naming the undecodable targets and a key for each.
func InfeasibleError(fs *factset.FactSet, res *Result) error {
	if len(res.Undecodable) == 0 {
		return nil
	}
	bad := make(map[int]bool, len(res.Undecodable))
	for _, j := range res.Undecodable {
		bad[j] = true
	}
	firstKey := make(map[int]int)
	for i, j := range fs.Map {
		if _, ok := firstKey[j]; bad[j] && !ok {
			firstKey[j] = i
		}
	}
	if len(firstKey) == 0 {
		return nil
	}
	vals := make([]int, 0, len(firstKey))
	for j := range firstKey {
		vals = append(vals, j)
	}
	sort.Ints(vals)
	msg := ""
	for k, j := range vals {
		if k == 10 {
			msg += fmt.Sprintf(", … (%d more)", len(vals)-10)
			break
		}
		if k > 0 {
			msg += ", "
		}
		msg += fmt.Sprintf("value %d (ρ=%.2g, target of key %d)", j, res.PerValue[j], firstKey[j])
	}
	return fmt.Errorf("geometry: fact set is infeasible under dot-product decoding: %d target value(s) lie in the convex hull of the other values and can never be the argmax: %s", len(vals), msg)
}
