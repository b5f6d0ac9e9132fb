package training

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

// EncDecOptions configures EncDecGD: the GD options of the encoder plus the
// decoder.
type EncDecOptions struct {
	Options
	// CodeDim is the code dimension m (0: the smallest m at which a random
	// projection decodes every value, construction.MinDecoder).
	CodeDim int
	// R (m×d) and Codes (|V|×m, row j = R u*_j) reuse a decoder computed
	// earlier (construction.Decoder); both nil computes it.
	R, Codes *mat.Dense
	// Loss (in Options) selects the encoder objective: MSE (the default
	// here) fits e(k_i) to the code c_f(i) = R u*_f(i); CE trains through
	// the frozen decoder with the true logits ⟨Rᵀe(k_i), v_j⟩ = ⟨e(k_i), R v_j⟩.
}

// EncDecGD is the gradient-based encoder–decoder: a frozen random-projection
// decoder Rᵀ (the one of the encdec construction, with codes c_v = R u*_v)
// and a gated encoder e(x) = B(σ(Gx) ⊙ Ax) ∈ ℝ^m with opts.Hidden hidden
// units trained by GD. The returned MLP is the collapsed gated MLP with
// down projection Rᵀ·B (Method "encdec-gd", CodeDim m), checked by
// mlp.Verify.
func EncDecGD(fs *factset.FactSet, opts EncDecOptions) (*Result, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	if opts.Loss == "" {
		opts.Loss = MSE
	}
	o := opts.Options.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	R, codes := opts.R, opts.Codes
	if (R == nil) != (codes == nil) {
		return nil, fmt.Errorf("training: give both R and Codes of the decoder, or neither")
	}
	if R == nil {
		var err error
		R, codes, err = construction.Decoder(fs.Values, o.Seed, opts.CodeDim)
		if err != nil {
			return nil, err
		}
	}
	m, d := R.Dims()
	if d != fs.Dim() {
		return nil, fmt.Errorf("training: decoder R is %d×%d; it must be m×d with d = %d", m, d, fs.Dim())
	}
	if r, c := codes.Dims(); r != fs.NumValues() || c != m {
		return nil, fmt.Errorf("training: codes are %d×%d; they must be |V|×m = %d×%d", r, c, fs.NumValues(), m)
	}
	var RV mat.Dense
	RV.Mul(fs.Values, R.T()) // |V|×m: the values as the encoder's logits see them
	T := mat.NewDense(fs.NumFacts(), m, nil)
	src := codes
	if o.Loss == CE {
		src = &RV
	}
	for i, j := range fs.Map {
		T.SetRow(i, src.RawRowView(j))
	}
	p := newProblem(fs.Keys, &RV, T, fs.Map)
	decoder := mat.DenseCopyOf(R.T()) // d×m
	res, err := runVerified([]*problem{p}, o, []uint64{o.Seed}, []*factset.FactSet{fs}, func(_ int, w *weights) *mlp.Gated {
		g := w.toGated(o, decoder)
		g.Method, g.Seed, g.CodeDim = "encdec-gd", o.Seed, m
		return g
	})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}
