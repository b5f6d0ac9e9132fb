package construction

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/linalg"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// DecodeTol is the smallest relative decoding margin the decoder accepts:
// for every target value j and every other value l,
// ⟨R u*_j, R(v_j − v_l)⟩ ≥ DecodeTol · ‖R u*_j‖ · (‖R v_j‖ + ‖R v_l‖).
const DecodeTol = 1e-6

// Separators are the optimal separators u*_v of a value table and its
// decodability ρ, restricted to the values that are some key's target.
type Separators struct {
	U        *mat.Dense // |V|×d unit rows (zero for values that are no target)
	Rho      float64    // min over target values of ρ_i
	PerValue []float64  // ρ_i (NaN for values that are no target)
	Targets  []int      // the target value indices, ascending
}

// checkFor returns an error unless sep holds a separator for every target
// value of fs (as ComputeSeparators(fs) does).
func (sep *Separators) checkFor(fs *factset.FactSet) error {
	if sep.U == nil {
		return errors.New("construction: separators have no U")
	}
	if r, c := sep.U.Dims(); r != fs.NumValues() || c != fs.Dim() {
		return fmt.Errorf("construction: separators are %d×%d but the fact set has %d values in dimension %d; compute them with ComputeSeparators(fs)", r, c, fs.NumValues(), fs.Dim())
	}
	for _, j := range targetValues(fs) {
		if norm(sep.U.RawRowView(j)) == 0 {
			return fmt.Errorf("construction: the separators give no separator for value %d, a target of the fact set; compute them with ComputeSeparators(fs)", j)
		}
	}
	return nil
}

// targetValues lists the distinct values of fs.Map, ascending.
func targetValues(fs *factset.FactSet) []int {
	seen := make([]bool, fs.NumValues())
	var out []int
	for _, j := range fs.Map {
		if !seen[j] {
			seen[j] = true
			out = append(out, j)
		}
	}
	sort.Ints(out)
	return out
}

// ComputeSeparators computes u*_v and ρ for the target values of fs with
// package geometry, and returns an error naming the undecodable targets if
// the fact set is infeasible under dot-product decoding.
func ComputeSeparators(fs *factset.FactSet) (*Separators, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	targets := targetValues(fs)
	if fs.NumValues() < 2 {
		return nil, errors.New("construction: a fact set needs at least 2 values")
	}
	res, err := geometry.Decodability(fs.Values, geometry.Options{Anchors: targets})
	if err != nil {
		return nil, err
	}
	if err := geometry.InfeasibleError(fs, res); err != nil {
		return nil, err
	}
	return &Separators{U: res.Separators, Rho: res.Rho, PerValue: res.PerValue, Targets: targets}, nil
}

// DrawProjection draws the decoder's random projection R (m×d) with i.i.d.
// N(0, 1/m) entries from the named stream of seed; try numbers redraws.
func DrawProjection(seed uint64, m, d, try int) *mat.Dense {
	r := rng.Derive(seed, fmt.Sprintf("encdec/decoder/m=%d/try=%d", m, try))
	s := 1 / math.Sqrt(float64(m))
	data := make([]float64, m*d)
	for i := range data {
		data[i] = r.NormFloat64() * s
	}
	return mat.NewDense(m, d, data)
}

// DecodeMargin returns the smallest relative decoding margin of the codes
// c_j = R u*_j over the target values j and all l ≠ j (see CodeMargins).
// A projection whose width is not the values' dimension decodes nothing
// (−Inf).
func DecodeMargin(R *mat.Dense, sep *Separators, values *mat.Dense) float64 {
	codes, RV, err := project(R, sep, values)
	if err != nil {
		return math.Inf(-1)
	}
	w, _ := CodeMargins(codes, RV, sep.Targets, -1)
	return w
}

// project returns the codes c_j = R u*_j and the projected values R v_l as
// rows (|V|×m each).
func project(R *mat.Dense, sep *Separators, values *mat.Dense) (codes, RV *mat.Dense, err error) {
	if codes, err = linalg.MulT(sep.U, R); err != nil {
		return nil, nil, err
	}
	if RV, err = linalg.MulT(values, R); err != nil {
		return nil, nil, err
	}
	return codes, RV, nil
}

// CodeMargins checks codes (|V|×m) against the projected values RV = V Rᵀ
// (|V|×m): the relative margin of target j is
// min_{l≠j} ⟨c_j, R(v_j − v_l)⟩ / (‖c_j‖ (‖R v_j‖ + ‖R v_l‖)). It returns the
// smallest margin and the targets whose margin is below DecodeTol; if more
// than maxFail fail (maxFail ≥ 0) it stops early. Codes and projected
// values of different widths decode nothing: −Inf, every target failing.
// The products run on package linalg's kernel against RV packed once
// (the decoder search calls this for every projection it draws), chunks of
// targets on all cores; the result is that of checking the targets one by
// one in order, whatever the number of cores.
func CodeMargins(codes, RV *mat.Dense, targets []int, maxFail int) (float64, []int) {
	worst, failing, _ := codeMarginsEach(codes, RV, targets, maxFail)
	return worst, failing
}

// codeMarginsEach is CodeMargins that also returns each target's margin
// (margins[k] for targets[k]; valid up to the early stop).
func codeMarginsEach(codes, RV *mat.Dense, targets []int, maxFail int) (worst float64, failing []int, margins []float64) {
	nv, m := RV.Dims()
	if _, mc := codes.Dims(); mc != m {
		return math.Inf(-1), append([]int(nil), targets...), nil
	}
	worst = math.Inf(1)
	if len(targets) == 0 {
		return worst, nil, nil
	}
	packed, err := linalg.PackT(RV.RawMatrix())
	if err != nil {
		return math.Inf(-1), append([]int(nil), targets...), nil
	}
	nrmV := make([]float64, nv)
	nmin, nmax := math.Inf(1), 0.0
	for l := 0; l < nv; l++ {
		nrmV[l] = norm(RV.RawRowView(l))
		nmin, nmax = math.Min(nmin, nrmV[l]), math.Max(nmax, nrmV[l])
	}
	const chunk = 256
	chunks := (len(targets) + chunk - 1) / chunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	margins = make([]float64, len(targets))
	scratch := make([]*marginScratch, workers)
	for w := range scratch {
		scratch[w] = getMarginScratch(chunk*m, marginBlock*nv)
		defer marginScratchPool.Put(scratch[w])
	}
	// Waves of one chunk per worker: a projection that fails stops after
	// the wave in which more than maxFail targets failed.
	for c0 := 0; c0 < chunks; c0 += workers {
		wave := min(workers, chunks-c0)
		var wg sync.WaitGroup
		for w := range wave {
			wg.Go(func() {
				lo := (c0 + w) * chunk
				codeMarginChunk(codes, nrmV, nmin, nmax, packed, targets[lo:min(lo+chunk, len(targets))], margins[lo:], scratch[w].C, scratch[w].P)
			})
		}
		wg.Wait()
		for k := c0 * chunk; k < min((c0+wave)*chunk, len(targets)); k++ {
			wj := margins[k]
			if wj < worst {
				worst = wj
			}
			if wj < DecodeTol {
				failing = append(failing, targets[k])
				if maxFail >= 0 && len(failing) > maxFail {
					return worst, failing, margins
				}
			}
		}
	}
	return worst, failing, margins
}

// marginScratch is one worker's C and P for codeMarginChunk. The decoder
// search checks dozens of projections, each with megabytes of scratch per
// worker; reusing it spares the allocator zeroing fresh pages every time.
type marginScratch struct{ C, P []float64 }

var marginScratchPool sync.Pool

func getMarginScratch(nc, np int) *marginScratch {
	s, _ := marginScratchPool.Get().(*marginScratch)
	if s == nil {
		s = &marginScratch{}
	}
	if cap(s.C) < nc {
		s.C = make([]float64, nc)
	}
	if cap(s.P) < np {
		s.P = make([]float64, np)
	}
	s.C, s.P = s.C[:nc], s.P[:np]
	return s
}

// codeMarginChunk sets out[k] to the relative margin of target ts[k] (see
// CodeMargins), with C and P as scratch (len(ts)×m and marginBlock×|V|).
// An l whose quotient cannot be below the smallest one found so far is
// skipped before its division: with nmin ≤ ‖R v_l‖ ≤ nmax a difference
// D = p_j − p_l ≥ 0 gives a quotient ≥ D/(n_j + nmax), one below 0 a
// quotient ≥ D/(n_j + nmin); the bounds are tested with a relative
// allowance of 1e-12 for rounding, so every l that could attain the
// minimum is divided exactly as without the test.
func codeMarginChunk(codes *mat.Dense, nrmV []float64, nmin, nmax float64, RV *linalg.Packed, ts []int, out, C, P []float64) {
	nv, m := RV.Dims()
	for k, j := range ts {
		copy(C[k*m:(k+1)*m], codes.RawRowView(j))
	}
	// A block of marginBlock targets at a time: its products (marginBlock×|V|)
	// stay in cache between the kernel writing them and the loop below
	// reading them, instead of a whole chunk's megabytes going out to memory
	// and back. Each product entry is the same sum whatever the block.
	for b0 := 0; b0 < len(ts); b0 += marginBlock {
		b1 := min(len(ts), b0+marginBlock)
		if err := linalg.MulPacked(blas64.General{Rows: b1 - b0, Cols: nv, Stride: nv, Data: P[:(b1-b0)*nv]},
			blas64.General{Rows: b1 - b0, Cols: m, Stride: m, Data: C[b0*m : b1*m]}, RV); err != nil { // (b1−b0)×|V|
			for k := range ts {
				out[k] = math.Inf(-1)
			}
			return
		}
		for k, j := range ts[b0:b1] {
			out[b0+k] = targetMargin(P[k*nv:(k+1)*nv], j, norm(codes.RawRowView(j)), nrmV, nmin, nmax)
		}
	}
}

// marginBlock is how many targets codeMarginChunk multiplies at a time.
const marginBlock = 16

// targetMargin is the relative margin of target j from its row of
// products row[l] = ⟨c_j, R v_l⟩, with nc = ‖c_j‖ (see codeMarginChunk).
func targetMargin(row []float64, j int, nc float64, nrmV []float64, nmin, nmax float64) float64 {
	pj, nj := row[j], nrmV[j]
	wj := math.Inf(1)
	skip := math.Inf(1) // D > skip cannot give a quotient below wj
	for l, pl := range row {
		D := pj - pl
		if D > skip || l == j {
			continue
		}
		if g := D / (nj + nrmV[l]); g < wj {
			wj = g
			if wj > 0 {
				skip = wj * (nj + nmax) * (1 + 1e-12)
			} else {
				skip = wj * (nj + nmin) * (1 - 1e-12)
			}
		}
	}
	wj /= nc
	if nc == 0 {
		wj = math.Inf(-1)
	}
	return wj
}

func norm(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// DecoderResult is a decoder that passed the decode check.
type DecoderResult struct {
	R     *mat.Dense // m×d projection (the identity when m = d was needed)
	Codes *mat.Dense // |V|×m, row j is the code of value j
	M     int        // code dimension
	Try   int        // which draw passed (-1: identity)
	// Refined lists the values whose code R u*_j failed the check and was
	// replaced by the optimal separator of the projected values R V.
	Refined []int
	Margin  float64 // smallest relative margin of the accepted codes
}

// decoderTries is how many projections are drawn per code dimension before
// it is declared too small.
const decoderTries = 3

// DecoderOptions tune DecoderAt and MinDecoder.
type DecoderOptions struct {
	// NoRefine disables code refinement: every code is R u*_j exactly.
	NoRefine bool
}

// DecoderAt draws projections of code dimension m (up to decoderTries) until
// one passes the decode check; it returns an error if none does. Codes are
// c_j = R u*_j; unless opts.NoRefine, when at most |targets|/32 (≥ 8) of
// them fail, those are replaced by the optimal separators of the projected
// values R v (computed with package geometry in m dimensions), the best code
// a given R admits.
func DecoderAt(sep *Separators, values *mat.Dense, seed uint64, m int, opts DecoderOptions) (*DecoderResult, error) {
	_, d := values.Dims()
	if m < 1 {
		return nil, fmt.Errorf("construction: code dimension %d; it must be at least 1", m)
	}
	maxFail := 0
	if !opts.NoRefine {
		maxFail = max(8, len(sep.Targets)/32)
	}
	for try := 0; try < decoderTries; try++ {
		R := DrawProjection(seed, m, d, try)
		if r := tryDecoder(R, sep, values, m, try, maxFail); r != nil {
			return r, nil
		}
	}
	if m >= d {
		R := identity(d)
		var codes mat.Dense
		codes.Mul(sep.U, R.T())
		return &DecoderResult{R: R, Codes: &codes, M: d, Try: -1, Margin: DecodeMargin(R, sep, values)}, nil
	}
	return nil, fmt.Errorf("construction: no random projection to %d code dimensions (of %d drawn) decodes every value; use a larger code dimension (ρ = %.3g)", m, decoderTries, sep.Rho)
}

func tryDecoder(R *mat.Dense, sep *Separators, values *mat.Dense, m, try, maxFail int) *DecoderResult {
	codes, RV, err := project(R, sep, values)
	if err != nil {
		return nil
	}
	worst, failing, margins := codeMarginsEach(codes, RV, sep.Targets, maxFail)
	if len(failing) == 0 {
		return &DecoderResult{R: R, Codes: codes, M: m, Try: try, Margin: worst}
	}
	if len(failing) > maxFail {
		return nil
	}
	// Decodability refuses projected values that coincide (an error: no
	// decoder), so they need no separate check here.
	res, err := geometry.Decodability(RV, geometry.Options{Anchors: failing})
	if err != nil || len(res.Undecodable) > 0 {
		return nil
	}
	refined := make(map[int]bool, len(failing))
	for _, j := range failing {
		codes.SetRow(j, res.Separators.RawRowView(j))
		refined[j] = true
	}
	// Only the refined codes changed: check them again; every other target
	// keeps the margin it had (the same code against the same RV).
	worst, still, _ := codeMarginsEach(codes, RV, failing, 0)
	if len(still) > 0 {
		return nil
	}
	for k, j := range sep.Targets {
		if !refined[j] {
			worst = math.Min(worst, margins[k])
		}
	}
	return &DecoderResult{R: R, Codes: codes, M: m, Try: try, Refined: failing, Margin: worst}
}

func identity(d int) *mat.Dense {
	I := mat.NewDense(d, d, nil)
	for i := 0; i < d; i++ {
		I.Set(i, i, 1)
	}
	return I
}

// MinDecoder finds the smallest code dimension m in [1, d] at which a drawn
// projection passes the decode check (binary search; m = d always passes
// because the identity does whenever every target is decodable).
func MinDecoder(sep *Separators, values *mat.Dense, seed uint64, opts DecoderOptions) (*DecoderResult, error) {
	_, d := values.Dims()
	lo, hi := 0, d // lo fails, hi passes
	var best *DecoderResult
	// Start near the JL estimate m ≈ 2 ρ⁻² ln|V| to shorten the search.
	nv, _ := values.Dims()
	guess := int(math.Ceil(2 * math.Log(float64(nv)) / (sep.Rho * sep.Rho)))
	if guess >= 1 && guess < d {
		if r, err := DecoderAt(sep, values, seed, guess, opts); err == nil {
			hi, best = guess, r
		} else {
			lo = guess
		}
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if r, err := DecoderAt(sep, values, seed, mid, opts); err == nil {
			hi, best = mid, r
		} else {
			lo = mid
		}
	}
	if best == nil || best.M != hi {
		return DecoderAt(sep, values, seed, hi, opts)
	}
	return best, nil
}

// Decoder computes the separators of values (every value is a target), and
// draws the decoder of code dimension m (0: the smallest that decodes). It
// returns R (m×d) and the codes (|V|×m, row j = R u*_j). It is what the
// gradient variant of the encoder–decoder trains its encoder towards.
func Decoder(values *mat.Dense, seed uint64, m int) (R, codes *mat.Dense, err error) {
	n, _ := values.Dims()
	mp := make([]int, n)
	for i := range mp {
		mp[i] = i
	}
	fs := &factset.FactSet{Keys: values, Values: values, Map: mp}
	sep, err := ComputeSeparators(fs)
	if err != nil {
		return nil, nil, err
	}
	var dec *DecoderResult
	if m <= 0 {
		dec, err = MinDecoder(sep, values, seed, DecoderOptions{})
	} else {
		dec, err = DecoderAt(sep, values, seed, m, DecoderOptions{})
	}
	if err != nil {
		return nil, nil, err
	}
	return dec.R, dec.Codes, nil
}
