package geometry

import (
	"errors"
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/factset"
	"gonum.org/v1/gonum/mat"
)

// DefaultWhitenEps is the ridge ε added to the normalised second moment Σ̂
// (whose average eigenvalue is 1) before taking its power.
const DefaultWhitenEps = 1e-3

// Whitener is value whitening of strength α (paper.md §2.3, our choice of
// transform; the paper's exact transform is not known):
//
//	Σ̂ = (VᵀV/|V|) / (tr(VᵀV/|V|)/d),   W_α = (Σ̂ + εI)^(−α/2).
//
// Σ̂ is the uncentred second moment scaled to unit average eigenvalue, so W_α
// does not depend on the overall scale of V and α = 0 is the identity.
// Whitened values are ṽ = W_α v. A construction that stores the fact set
// with whitened values emits ỹ; the MLP's output is mapped back by
// y = W_α ỹ (fold W_α into the down projection with FoldDown). Since W_α is
// symmetric, ⟨y, v_j⟩ = ⟨ỹ, ṽ_j⟩ for every value: decoding against the
// original values is exactly decoding against the whitened ones. Keys are
// not whitened. The price is the operator norm ‖W_α‖ = (λ_min(Σ̂)+ε)^(−α/2),
// which multiplies the MLP's Lipschitz constant.
type Whitener struct {
	Alpha, Eps float64
	W          *mat.SymDense // W_α (d×d, symmetric)
	WInv       *mat.SymDense // W_α⁻¹ = (Σ̂ + εI)^(α/2)
	// Eigenvalues of Σ̂, ascending.
	Eigen []float64
	// OpNorm = ‖W_α‖₂, the Lipschitz factor the map-back adds.
	OpNorm float64
}

// NewWhitener builds W_α from the rows of values. alpha must be in [0, 1]
// and eps > 0 (0 selects DefaultWhitenEps).
func NewWhitener(values *mat.Dense, alpha, eps float64) (*Whitener, error) {
	if values == nil {
		return nil, errors.New("geometry: values are required")
	}
	if !(alpha >= 0 && alpha <= 1) {
		return nil, fmt.Errorf("geometry: whitening strength α = %v; it must be in [0, 1] (0 = none, 1 = full)", alpha)
	}
	if eps == 0 {
		eps = DefaultWhitenEps
	}
	if !(eps > 0) || math.IsInf(eps, 0) {
		return nil, fmt.Errorf("geometry: whitening ridge ε = %v; it must be a finite number > 0", eps)
	}
	if err := factset.CheckFinite("values", values); err != nil {
		return nil, err
	}
	n, d := values.Dims()
	var sigma mat.SymDense
	sigma.SymOuterK(1/float64(n), values.T())
	tr := mat.Trace(&sigma) / float64(d)
	if tr <= 0 {
		return nil, errors.New("geometry: cannot whiten all-zero values")
	}
	sigma.ScaleSym(1/tr, &sigma)
	var eig mat.EigenSym
	if !eig.Factorize(&sigma, true) {
		return nil, errors.New("geometry: eigendecomposition of the value second moment did not converge")
	}
	lam := eig.Values(nil)
	var q mat.Dense
	eig.VectorsTo(&q)
	build := func(pow float64) *mat.SymDense {
		out := mat.NewSymDense(d, nil)
		for a := 0; a < d; a++ {
			for b := a; b < d; b++ {
				var s float64
				for k := 0; k < d; k++ {
					s += q.At(a, k) * math.Pow(math.Max(lam[k], 0)+eps, pow) * q.At(b, k)
				}
				out.SetSym(a, b, s)
			}
		}
		return out
	}
	w := &Whitener{Alpha: alpha, Eps: eps, W: build(-alpha / 2), WInv: build(alpha / 2), Eigen: lam}
	w.OpNorm = math.Pow(math.Max(lam[0], 0)+eps, -alpha/2)
	return w, nil
}

// Values returns the whitened values: row j is W_α v_j.
func (w *Whitener) Values(values *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Mul(values, w.W) // (V W)_j = Wᵀ v_j = W v_j
	return &out
}

// MapBack maps outputs emitted in whitened space (rows ỹ) to the original
// space: row i becomes W_α ỹ_i, so ⟨y_i, v_j⟩ = ⟨ỹ_i, ṽ_j⟩.
func (w *Whitener) MapBack(y *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Mul(y, w.W)
	return &out
}

// FoldDown returns W_α·down (down is d×h, as mlp.Gated.Down) and W_α·bias:
// an MLP built for whitened values then emits in the original space.
func (w *Whitener) FoldDown(down *mat.Dense, bias []float64) (*mat.Dense, []float64) {
	var out mat.Dense
	out.Mul(w.W, down)
	if bias == nil {
		return &out, nil
	}
	var b mat.VecDense
	b.MulVec(w.W, mat.NewVecDense(len(bias), append([]float64(nil), bias...)))
	return &out, b.RawVector().Data
}

// FactSet returns a copy of fs whose values are whitened and whose keys are
// unchanged (so it is untied). Store it, then FoldDown the MLP's output layer.
func (w *Whitener) FactSet(fs *factset.FactSet) *factset.FactSet {
	return &factset.FactSet{Keys: fs.Keys, Values: w.Values(fs.Values), Map: append([]int(nil), fs.Map...)}
}

// WhitenReport is ρ before and after whitening.
type WhitenReport struct {
	Alpha, Eps, OpNorm float64
	Before, After      *Result
}

// DecodabilityWhitened computes ρ(V) and ρ(W_α V).
func DecodabilityWhitened(values *mat.Dense, alpha, eps float64, opts Options) (*WhitenReport, *Whitener, error) {
	w, err := NewWhitener(values, alpha, eps)
	if err != nil {
		return nil, nil, err
	}
	before, err := Decodability(values, opts)
	if err != nil {
		return nil, nil, err
	}
	after, err := Decodability(w.Values(values), opts)
	if err != nil {
		return nil, nil, err
	}
	return &WhitenReport{Alpha: w.Alpha, Eps: w.Eps, OpNorm: w.OpNorm, Before: before, After: after}, w, nil
}
