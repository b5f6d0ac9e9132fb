package construction

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/linalg"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// DefaultSlack is the default ratio of encoder unknowns to equations per
// code coordinate: units·d ≈ DefaultSlack·|K|. Slack above 1 keeps the
// encoder system well conditioned (see the notebook 02 measurements).
const DefaultSlack = 1.25

// Options configures EncDec. The zero value is ready to use.
type Options struct {
	Seed uint64
	// Act is the gate non-linearity σ (default ReLU).
	Act mlp.Activation
	// CodeDim is the decoder's code dimension m (0: the smallest m at which a
	// random projection passes the decode check, grown if the MLP does not
	// verify).
	CodeDim int
	// Units is the number of hidden units per code coordinate (0: ⌈Slack·|K|/d⌉).
	// units·d ≥ |K| is required for an exact solution.
	Units int
	// Slack sets the default Units (default DefaultSlack).
	Slack float64
	// Hidden, if positive, is the total hidden width: Units = ⌊Hidden/m⌋
	// and the remaining Hidden − m·Units units are zero.
	Hidden int
	// Separators, if not nil, are reused instead of recomputed.
	Separators *Separators
	// NoRefine keeps every code exactly R u*_v (see DecoderAt).
	NoRefine bool
	// Progress receives coarse progress (stage done out of total).
	Progress progress.Func
}

// Info describes one construction.
type Info struct {
	Method       string
	Rho          float64 // decodability of the target values
	CodeDim      int     // m
	Units        int     // hidden units per code coordinate (encdec)
	Hidden       int     // total hidden width h
	Equations    int     // |K| equations per code coordinate
	Unknowns     int     // units·d unknowns per code coordinate
	DecodeMargin float64 // relative decode margin of R
	Residual     float64 // max |e(k_i) − c_f(i)| of the encoder (encdec)
	Report       mlp.Report
	// Durations of the stages: "separators", "decoder", "encoder", "verify".
	// The encoder's factorization runs during the decoder search when the
	// units are known beforehand; "encoder" then counts what is left of it.
	Durations map[string]time.Duration
}

// EncDec builds the encoder–decoder MLP for fs and verifies it exactly. It
// returns an error if fs is infeasible or if the result does not store
// every fact in float64 and float32.
func EncDec(fs *factset.FactSet, opts Options) (*mlp.Gated, *Info, error) {
	if err := fs.Validate(); err != nil {
		return nil, nil, err
	}
	if opts.Act == "" {
		opts.Act = mlp.ReLU
	}
	if _, err := mlp.ParseActivation(string(opts.Act)); err != nil {
		return nil, nil, err
	}
	if opts.Act == mlp.Identity {
		return nil, nil, errors.New("construction: encdec needs a non-linear gate (relu or silu); with the identity gate every unit sees the same key-only features")
	}
	if opts.Slack <= 0 {
		opts.Slack = DefaultSlack
	}
	info := &Info{Method: "encdec", Durations: map[string]time.Duration{}}
	t0 := time.Now()
	sep := opts.Separators
	if sep == nil {
		var err error
		if sep, err = ComputeSeparators(fs); err != nil {
			return nil, nil, err
		}
	}
	if err := sep.checkFor(fs); err != nil {
		return nil, nil, err
	}
	info.Rho = sep.Rho
	info.Durations["separators"] = time.Since(t0)
	opts.Progress.Report(1, 4, "separators")

	// The encoder's factor needs only the keys and the number of units: when
	// that is known before the code dimension, it is computed on the side
	// while the decoder is searched (after the separators, so that an
	// infeasible fact set is refused without waiting for it).
	var factor *pendingFactor
	if units := encoderUnits(opts, fs.NumFacts(), fs.Dim(), 0); units > 0 {
		factor = startFactor(fs.Keys, opts.Seed, units, opts.Act)
		defer factor.release() // every return waits for it: nothing left running
	}

	F, d := fs.NumFacts(), fs.Dim()
	t0 = time.Now()
	var dec *DecoderResult
	var err error
	if opts.CodeDim > 0 {
		dec, err = DecoderAt(sep, fs.Values, opts.Seed, opts.CodeDim, DecoderOptions{NoRefine: opts.NoRefine})
	} else {
		dec, err = MinDecoder(sep, fs.Values, opts.Seed, DecoderOptions{NoRefine: opts.NoRefine})
	}
	if err != nil {
		return nil, nil, err
	}
	info.Durations["decoder"] = time.Since(t0)
	opts.Progress.Report(2, 4, "decoder")

	for {
		g, err := encdecWithDecoder(fs, dec, opts, info, factor)
		if factor != nil {
			factor.release() // a larger code dimension recomputes it, as it always did
		}
		if err != nil {
			return nil, nil, err
		}
		t0 = time.Now()
		rep, err := mlp.Verify(g, fs)
		info.Durations["verify"] += time.Since(t0)
		if err != nil {
			return nil, nil, err
		}
		info.Report = rep
		opts.Progress.Report(4, 4, "verify")
		if rep.Stores() {
			return g, info, nil
		}
		// Grow m when it was chosen automatically and there is room.
		if opts.CodeDim > 0 || dec.M >= d {
			return nil, info, fmt.Errorf("construction: encdec with code dimension %d and %d units per code does not store the facts: %v (|K| = %d, d = %d)", dec.M, info.Units, rep, F, d)
		}
		next := min(d, dec.M+max(1, dec.M/8))
		if dec, err = DecoderAt(sep, fs.Values, opts.Seed, next, DecoderOptions{NoRefine: opts.NoRefine}); err != nil {
			return nil, nil, err
		}
	}
}

// encoderUnits is the number of units per code coordinate that
// encdecWithDecoder uses at code dimension m, when that is known without m
// (m = 0: opts.Hidden not set) and gives the encoder enough unknowns; 0
// otherwise (encdecWithDecoder then reports why).
func encoderUnits(opts Options, F, d, m int) int {
	units := opts.Units
	if opts.Hidden > 0 {
		if m == 0 {
			return 0
		}
		units = opts.Hidden / m
	}
	if units <= 0 {
		units = int(math.Ceil(opts.Slack * float64(F) / float64(d)))
	}
	if units*d < F {
		return 0
	}
	return units
}

// encdecWithDecoder solves the encoder for a given decoder and assembles the
// collapsed gated MLP (not yet verified). factor, if not nil, is the
// encoder factor computed ahead for some number of units.
func encdecWithDecoder(fs *factset.FactSet, dec *DecoderResult, opts Options, info *Info, factor *pendingFactor) (*mlp.Gated, error) {
	F, d := fs.NumFacts(), fs.Dim()
	m := dec.M
	units := opts.Units
	if opts.Hidden > 0 {
		units = opts.Hidden / m
		if units*d < F {
			return nil, fmt.Errorf("construction: hidden width %d at code dimension %d gives %d units per code coordinate × d = %d unknowns for %d keys; the encoder needs units·d ≥ |K| (hidden ≥ %d)",
				opts.Hidden, m, units, units*d, F, m*((F+d-1)/d))
		}
	}
	if units <= 0 {
		units = int(math.Ceil(opts.Slack * float64(F) / float64(d)))
	}
	if units*d < F {
		return nil, fmt.Errorf("construction: %d units per code coordinate × d = %d give %d unknowns for %d keys; the encoder needs units·d ≥ |K| (hidden ≥ %d at code dimension %d)",
			units, d, units*d, F, m*((F+d-1)/d), m)
	}
	hidden := m * units
	if opts.Hidden > hidden {
		hidden = opts.Hidden
	}
	info.CodeDim, info.Units, info.Hidden = m, units, hidden
	info.Equations, info.Unknowns = F, units*d
	info.DecodeMargin = dec.Margin

	t0 := time.Now()
	var f *encoderFactor
	if factor != nil {
		f = factor.wait()
	}
	if f == nil || f.units() != units { // not computed ahead for these units
		f = factorEncoder(fs.Keys, drawGates(opts.Seed, units, d, F), opts.Act)
	}
	if f.err != nil {
		return nil, f.err
	}
	G0, S := f.G0, f.S
	// Targets: O[i] = c_f(i).
	O := mat.NewDense(F, m, nil)
	for i, j := range fs.Map {
		O.SetRow(i, dec.Codes.RawRowView(j))
	}
	A, err := solveFactored(fs.Keys, f, O)
	if err != nil {
		return nil, err
	}
	if info.Residual, err = encoderResidual(fs.Keys, S, A, O); err != nil {
		return nil, err
	}
	info.Durations["encoder"] = time.Since(t0)
	opts.Progress.Report(3, 4, "encoder")

	// Collapse: unit c·units + r has gate G0[r], up A[c][r] and down R[c,:]ᵀ.
	gate := mat.NewDense(hidden, d, nil)
	up := mat.NewDense(hidden, d, nil)
	down := mat.NewDense(d, hidden, nil)
	for c := 0; c < m; c++ {
		for r := 0; r < units; r++ {
			u := c*units + r
			gate.SetRow(u, G0.RawRowView(r))
			up.SetRow(u, A[c].RawRowView(r))
			for k := 0; k < d; k++ {
				down.Set(k, u, dec.R.At(c, k))
			}
		}
	}
	for u := m * units; u < hidden; u++ { // padding units: zero up weights
		gate.SetRow(u, G0.RawRowView(u%units))
	}
	return &mlp.Gated{Gate: gate, Up: up, Down: down, Act: opts.Act, Method: "encdec",
		Seed: opts.Seed, Seeded: []string{"gate", "down"}, CodeDim: m}, nil
}

// drawGates draws the shared random gate rows G0 (units×d) with N(0, 1)
// entries. With ReLU a key whose gates are all closed has an unsolvable
// equation; when that is not negligible (|K|·2^−units > 2^−20) the rows come
// in antithetic pairs (g, −g), so every key opens exactly half of them. Pairs
// cost rank (the antisymmetric combinations a_r = λg_s, a_s = −λg_r of two
// pairs cancel), so independent rows are used whenever possible.
func drawGates(seed uint64, units, d, keys int) *mat.Dense {
	r := rng.Derive(seed, "encdec/gates")
	G := mat.NewDense(units, d, nil)
	antithetic := float64(units) < math.Log2(float64(keys))+20
	for u := 0; u < units; u++ {
		row := G.RawRowView(u)
		if antithetic && u%2 == 1 {
			prev := G.RawRowView(u - 1)
			for k := range row {
				row[k] = -prev[k]
			}
			continue
		}
		for k := range row {
			row[k] = r.NormFloat64()
		}
	}
	return G
}

// solveEncoder solves, for every code coordinate c, the |K| equations
// Σ_r σ(g_rᵀk_i)·(a_{c,r}ᵀk_i) = O[i,c] in the units·d unknowns a_{c,r}
// (minimum-norm solution). The gates are shared by all coordinates, so all
// m systems share one matrix M = [diag(S_{:,r}) K]_r (|K|×units·d) and one
// Gram MMᵀ = (S Sᵀ) ⊙ (K Kᵀ), factored once by Cholesky; then
// a_{c,r} = Σ_i λ_{ic} S_{ir} k_i with λ = (MMᵀ)⁻¹ O. It returns A[c]
// (units×d) and the gate activations S (|K|×units).
func solveEncoder(K, G0 *mat.Dense, act mlp.Activation, O *mat.Dense) ([]*mat.Dense, *mat.Dense, error) {
	f := factorEncoder(K, G0, act)
	if f.err != nil {
		return nil, nil, f.err
	}
	A, err := solveFactored(K, f, O)
	return A, f.S, err
}

// encoderFactor is the part of the encoder solve that does not depend on
// the codes: the gates G0, their activations S and the Cholesky factor of
// the Gram (S Sᵀ) ⊙ (K Kᵀ). EncDec computes it while the decoder is being
// searched.
type encoderFactor struct {
	G0, S *mat.Dense
	tri   blas64.Triangular
	err   error
}

func (f *encoderFactor) units() int { u, _ := f.G0.Dims(); return u }

// factorEncoder computes the encoder factor for keys K and gates G0.
func factorEncoder(K, G0 *mat.Dense, act mlp.Activation) *encoderFactor {
	F, d := K.Dims()
	units, _ := G0.Dims()
	f := &encoderFactor{G0: G0, S: mat.NewDense(F, units, nil)}
	if f.err = linalg.Mul(f.S.RawMatrix(), K.RawMatrix(), G0.RawMatrix(), false, true); f.err != nil {
		return f
	}
	for i := 0; i < F; i++ {
		row := f.S.RawRowView(i)
		for r := range row {
			row[r] = act.Apply(row[r])
		}
	}
	gram, err := encoderGram(K, f.S)
	if err != nil {
		f.err = err
		return f
	}
	// Cholesky without mat.Cholesky's condition-number estimate (which costs
	// more than the factorisation itself at this size), on linalg's kernel.
	if f.tri, err = linalg.Cholesky(gram); err != nil {
		f.err = fmt.Errorf("construction: the encoder system (%d keys, %d units × d = %d unknowns per code coordinate) is singular; use more units per code coordinate", F, units, units*d)
	}
	return f
}

// pendingFactor is an encoder factor being computed on its own goroutine.
// The factor is the same whoever computes it, and when.
type pendingFactor struct {
	done   chan *encoderFactor
	f      *encoderFactor
	waited bool
}

// startFactor computes the encoder factor for units gates on its own goroutine.
func startFactor(K *mat.Dense, seed uint64, units int, act mlp.Activation) *pendingFactor {
	F, d := K.Dims()
	p := &pendingFactor{done: make(chan *encoderFactor, 1)}
	go func() { p.done <- factorEncoder(K, drawGates(seed, units, d, F), act) }()
	return p
}

// wait returns the factor once it is computed (nil after release).
func (p *pendingFactor) wait() *encoderFactor {
	if !p.waited {
		p.f, p.waited = <-p.done, true
	}
	return p.f
}

// release waits for the factor and lets it go: its Cholesky factor holds
// |K|² values, which the exact check should not have to share memory with.
func (p *pendingFactor) release() {
	p.wait()
	p.f = nil
}

// solveFactored returns A[c] for every code coordinate (the columns of O)
// from the encoder factor f.
func solveFactored(K *mat.Dense, f *encoderFactor, O *mat.Dense) ([]*mat.Dense, error) {
	F, d := K.Dims()
	units, _ := f.G0.Dims()
	_, m := O.Dims()
	S := f.S
	lambda := mat.DenseCopyOf(O)
	if err := linalg.SolveCholesky(f.tri, lambda.RawMatrix()); err != nil {
		return nil, err
	}
	for _, x := range lambda.RawMatrix().Data {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("construction: the encoder system (%d keys, %d unknowns per code coordinate) is numerically singular; use more units per code coordinate", F, units*d)
		}
	}
	// A[c] = W_cᵀK with W_c = diag(λ_{:,c}) S, for a group of codes at a
	// time: one product of the stacked W_c (|K|×group·units) gives every
	// A[c] of the group, each entry the same sum over the keys as a product
	// of its own, with room for both cores.
	Aall := mat.NewDense(m*units, d, nil)
	A := make([]*mat.Dense, m)
	for c := range A {
		A[c] = Aall.Slice(c*units, (c+1)*units, 0, d).(*mat.Dense)
	}
	group := codeGroup(m, F, units)
	W := make([]float64, F*group*units)
	for c0 := 0; c0 < m; c0 += group {
		g := min(group, m-c0)
		w := blas64.General{Rows: F, Cols: g * units, Stride: g * units, Data: W[:F*g*units]}
		for i := 0; i < F; i++ {
			srow, lrow := S.RawRowView(i), lambda.RawRowView(i)
			for c := 0; c < g; c++ {
				l := lrow[c0+c]
				wrow := w.Data[i*w.Stride+c*units : i*w.Stride+(c+1)*units]
				for r := range wrow {
					wrow[r] = l * srow[r]
				}
			}
		}
		ar := Aall.RawMatrix()
		out := blas64.General{Rows: g * units, Cols: d, Stride: ar.Stride, Data: ar.Data[c0*units*ar.Stride:]}
		if err := linalg.Mul(out, w, K.RawMatrix(), true, false); err != nil {
			return nil, err
		}
	}
	return A, nil
}

// gramRowBlock is how many rows of K Kᵀ encoderGram holds at a time.
const gramRowBlock = 256

// encoderGram returns the upper triangle of the encoder's Gram matrix
// (S Sᵀ) ⊙ (K Kᵀ) (|K|×|K|). S Sᵀ is formed in place and multiplied by
// K Kᵀ a block of gramRowBlock rows at a time, so the only |K|×|K| buffer
// is the result (a second one for K Kᵀ cost 2 GiB more at |K| = 16,384).
// Every entry is the same kernel sum as a whole-matrix
// product, so the Gram is the same bit for bit.
func encoderGram(K, S *mat.Dense) (blas64.Symmetric, error) {
	F, d := K.Dims()
	G := mat.NewSymDense(F, nil)
	gram := G.RawSymmetric()
	if err := linalg.SymOuter(gram, S.RawMatrix()); err != nil {
		return blas64.Symmetric{}, err
	}
	kr := K.RawMatrix()
	buf := make([]float64, min(F, gramRowBlock)*F)
	for i0 := 0; i0 < F; i0 += gramRowBlock {
		rows := min(gramRowBlock, F-i0)
		// Rows i0…i0+rows of K Kᵀ from column i0 on: K[i0:] · K[i0:]ᵀ's top rows.
		block := blas64.General{Rows: rows, Cols: F - i0, Stride: F - i0, Data: buf[:rows*(F-i0)]}
		top := blas64.General{Rows: rows, Cols: d, Stride: kr.Stride, Data: kr.Data[i0*kr.Stride:]}
		rest := blas64.General{Rows: F - i0, Cols: d, Stride: kr.Stride, Data: kr.Data[i0*kr.Stride:]}
		if err := linalg.Mul(block, top, rest, false, true); err != nil {
			return blas64.Symmetric{}, err
		}
		// The Hadamard product, rows split over the cores (each entry is
		// one multiplication, whoever makes it).
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := range workers {
			wg.Go(func() {
				for r := w; r < rows; r += workers {
					i := i0 + r
					g := gram.Data[i*gram.Stride+i : i*gram.Stride+F]
					kk := block.Data[r*block.Stride+r : r*block.Stride+F-i0]
					for j := range g {
						g[j] *= kk[j]
					}
				}
			})
		}
		wg.Wait()
	}
	return gram, nil
}

// encoderScratch bounds the encoder's |K|×group·units scratch matrices
// (2^21 values, 16 MiB; a variable so that tests can force several groups).
var encoderScratch = 1 << 21

// codeGroup is how many code coordinates the encoder's products take at once.
func codeGroup(m, keys, units int) int {
	return max(1, min(m, encoderScratch/max(1, keys*units)))
}

// encoderResidual returns max_{i,c} |e_c(k_i) − O[i,c]|, where e_c(k_i) =
// Σ_r S_ir (K A[c]ᵀ)_ir; K A[c]ᵀ for a group of codes at a time (the same
// sums as one product per code).
func encoderResidual(K *mat.Dense, S *mat.Dense, A []*mat.Dense, O *mat.Dense) (float64, error) {
	F, d := K.Dims()
	worst := 0.0
	_, units := S.Dims()
	m := len(A)
	group := codeGroup(m, F, units)
	KA := make([]float64, F*group*units)
	stacked := make([]float64, group*units*d)
	for c0 := 0; c0 < m; c0 += group {
		g := min(group, m-c0)
		for c := 0; c < g; c++ {
			for r := 0; r < units; r++ {
				copy(stacked[(c*units+r)*d:(c*units+r+1)*d], A[c0+c].RawRowView(r))
			}
		}
		ka := blas64.General{Rows: F, Cols: g * units, Stride: g * units, Data: KA[:F*g*units]}
		if err := linalg.Mul(ka, K.RawMatrix(), blas64.General{Rows: g * units, Cols: d, Stride: d, Data: stacked[:g*units*d]}, false, true); err != nil { // F×g·units
			return 0, err
		}
		for i := 0; i < F; i++ {
			srow := S.RawRowView(i)
			for c := 0; c < g; c++ {
				krow := ka.Data[i*ka.Stride+c*units : i*ka.Stride+(c+1)*units]
				var e float64
				for r := range srow {
					e += srow[r] * krow[r]
				}
				worst = math.Max(worst, math.Abs(e-O.At(i, c0+c)))
			}
		}
	}
	return worst, nil
}
