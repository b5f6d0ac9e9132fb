package editing

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

// LM is the base language model: one layer, one attention head, and the
// frozen fact MLP in the MLP slot. Token embeddings E are frozen random
// unit vectors, tied to the output layer. For a sentence x₁…x_T (rows of
// E), at position i:
//
//	q_i = Wqᵀx_i,  k_j = Wk0ᵀx_j + Wk2ᵀ silu(Wk1ᵀx_j + bk1)    (MLP key side)
//	a_i = Σ_{j≤i} softmax_j(q_i·k_j/√d) x_j                  (W_v = W_o = I, frozen)
//	m_i = FactMLP(a_i/‖a_i‖)                                  (frozen fact MLP)
//	g_i = σ(wr2·silu(Wr1ᵀx_i + br1) + br2)                    (router)
//	o_i = Woᵀx_i + Vaᵀ Uaᵀ â_i + bo                           (other path; rank r on â)
//	z_i = g_i m_i/‖m_i‖ + o_i,   logits_i = τ ⟨z_i, e_v⟩
//
// The other path sees the current token and a rank-r (default 8) view of
// the attention output: enough to know the phrasing, far too little to
// memorise the subject → object map, so the facts reach the output through
// the fact MLP: swapping the MLP changes the facts, and the router lets
// non-fact positions ignore the MLP. (Without the context path the model
// used the MLP's outputs at non-fact positions as a phrasing feature, and a
// swapped MLP changed the non-fact cross-entropy by 9%.) The MLP output is normalised (a frozen post-MLP
// norm) and the sum z is not: with a final normalisation instead, the other
// path could shrink to the size of a nearly closed router's g·m, and with no
// normalisation at all, the MLP's large outputs at off-key inputs leak
// through a nearly closed router; either way a swapped MLP changed the
// non-fact cross-entropy by 6% or more (measured). Training also penalises
// the mean gate (TrainOptions.RouterL1).
type LM struct {
	Emb          *mat.Dense // V×d, frozen, tied
	Wq, Wk0      *mat.Dense // d×d
	Wk1          *mat.Dense // d×hk
	Bk1          []float64
	Wk2          *mat.Dense // hk×d
	Wr1          *mat.Dense // d×hr
	Br1, Wr2     []float64
	Br2          float64
	Wo           *mat.Dense // d×d
	Bo           []float64
	Ua           *mat.Dense // d×r, low-rank context path
	Va           *mat.Dense // r×d
	LogTau       float64
	Fact         *mlp.Gated
	KeyHidden    int
	RouterHidden int
}

// Dim is d.
func (m *LM) Dim() int { _, d := m.Emb.Dims(); return d }

// VocabSize is V.
func (m *LM) VocabSize() int { v, _ := m.Emb.Dims(); return v }

func silu(x float64) float64 { return x / (1 + math.Exp(-x)) }

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// NewLM initialises the trainable weights from r around a given embedding
// table and fact MLP.
func NewLM(emb *mat.Dense, fact *mlp.Gated, keyHidden, routerHidden, ctxRank int, r *rand.Rand) *LM {
	_, d := emb.Dims()
	gauss := func(rows, cols int, std float64) *mat.Dense {
		m := mat.NewDense(rows, cols, nil)
		raw := m.RawMatrix().Data
		for i := range raw {
			raw[i] = std * r.NormFloat64()
		}
		return m
	}
	vec := func(n int, std float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = std * r.NormFloat64()
		}
		return v
	}
	sd := 1 / math.Sqrt(float64(d))
	return &LM{Emb: emb, Fact: fact, KeyHidden: keyHidden, RouterHidden: routerHidden,
		Wq: gauss(d, d, sd), Wk0: gauss(d, d, sd), Wk1: gauss(d, keyHidden, sd), Bk1: make([]float64, keyHidden),
		Wk2: gauss(keyHidden, d, 1/math.Sqrt(float64(keyHidden))),
		Wr1: gauss(d, routerHidden, sd), Br1: make([]float64, routerHidden), Wr2: vec(routerHidden, 1/math.Sqrt(float64(routerHidden))),
		Wo: gauss(d, d, 0.1*sd), Bo: make([]float64, d), LogTau: math.Log(10),
		Ua: gauss(d, ctxRank, sd), Va: gauss(ctxRank, d, 0.1/math.Sqrt(float64(ctxRank))),
		// The router starts nearly closed (g ≈ 0.02), so it opens only
		// where the fact MLP helps: the query positions.
		Br2: -4}
}

// Internals are the per-position quantities of one sentence that do not
// depend on the fact MLP: the MLP input â_i (unit norm), the router gate
// g_i and the other path o_i. Rows are positions.
type Internals struct {
	AHat *mat.Dense // T×d
	Gate []float64  // T
	O    *mat.Dense // T×d
}

// Internals runs everything but the fact MLP on a token sequence.
func (m *LM) Internals(toks []int) (*Internals, error) {
	V, d := m.Emb.Dims()
	T := len(toks)
	if T == 0 {
		return nil, fmt.Errorf("editing: empty token sequence")
	}
	X := mat.NewDense(T, d, nil)
	for i, t := range toks {
		if t < 0 || t >= V {
			return nil, fmt.Errorf("editing: token %d is out of range [0, %d)", t, V)
		}
		X.SetRow(i, m.Emb.RawRowView(t))
	}
	var Q, K, Kh mat.Dense
	Q.Mul(X, m.Wq)
	K.Mul(X, m.Wk0)
	Kh.Mul(X, m.Wk1)
	for i := 0; i < T; i++ {
		row := Kh.RawRowView(i)
		for j := range row {
			row[j] = silu(row[j] + m.Bk1[j])
		}
	}
	var K2 mat.Dense
	K2.Mul(&Kh, m.Wk2)
	K.Add(&K, &K2)
	var S mat.Dense
	S.Mul(&Q, K.T())
	scale := 1 / math.Sqrt(float64(d))
	in := &Internals{AHat: mat.NewDense(T, d, nil), Gate: make([]float64, T), O: mat.NewDense(T, d, nil)}
	alpha := make([]float64, T)
	for i := 0; i < T; i++ {
		mx := math.Inf(-1)
		for j := 0; j <= i; j++ {
			alpha[j] = S.At(i, j) * scale
			mx = math.Max(mx, alpha[j])
		}
		sum := 0.0
		for j := 0; j <= i; j++ {
			alpha[j] = math.Exp(alpha[j] - mx)
			sum += alpha[j]
		}
		a := in.AHat.RawRowView(i)
		for j := 0; j <= i; j++ {
			w := alpha[j] / sum
			for c, x := range X.RawRowView(j) {
				a[c] += w * x
			}
		}
		nrm := 0.0
		for _, x := range a {
			nrm += x * x
		}
		nrm = math.Sqrt(nrm + 1e-12)
		for c := range a {
			a[c] /= nrm
		}
		// Router.
		x := X.RawRowView(i)
		gl := m.Br2
		for u := 0; u < m.RouterHidden; u++ {
			s := m.Br1[u]
			for c := 0; c < d; c++ {
				s += x[c] * m.Wr1.At(c, u)
			}
			gl += m.Wr2[u] * silu(s)
		}
		in.Gate[i] = sigmoid(gl)
	}
	in.O.Mul(X, m.Wo)
	var AU, AUV mat.Dense
	AU.Mul(in.AHat, m.Ua)
	AUV.Mul(&AU, m.Va)
	in.O.Add(in.O, &AUV)
	for i := 0; i < T; i++ {
		row := in.O.RawRowView(i)
		for c := range row {
			row[c] += m.Bo[c]
		}
	}
	return in, nil
}

// Logits combines internals with a fact MLP (nil: the model's own) into
// T×V logits. residual, if non-nil, is added to the MLP output at position
// pos (used to find target residuals).
func (m *LM) Logits(in *Internals, fact *mlp.Gated) *mat.Dense {
	if fact == nil {
		fact = m.Fact
	}
	M := fact.Forward(in.AHat)
	return m.LogitsFromMLPOut(in, M)
}

// LogitsFromMLPOut is Logits with the fact MLP's outputs M (T×d) given.
func (m *LM) LogitsFromMLPOut(in *Internals, M *mat.Dense) *mat.Dense {
	T, d := M.Dims()
	Z := mat.NewDense(T, d, nil)
	for i := 0; i < T; i++ {
		z, mm, o := Z.RawRowView(i), M.RawRowView(i), in.O.RawRowView(i)
		s := math.Exp(m.LogTau)
		nm := 0.0
		for _, x := range mm {
			nm += x * x
		}
		gn := in.Gate[i] / math.Sqrt(nm+1e-12)
		for c := range z {
			z[c] = s * (gn*mm[c] + o[c])
		}
	}
	var L mat.Dense
	L.Mul(Z, m.Emb.T())
	return &L
}

// logSoftmaxAt returns log p(target) and whether target is the argmax.
func logSoftmaxAt(row []float64, target int) (float64, bool) {
	mx := math.Inf(-1)
	arg := 0
	for j, x := range row {
		if x > mx {
			mx, arg = x, j
		}
	}
	s := 0.0
	for _, x := range row {
		s += math.Exp(x - mx)
	}
	return row[target] - mx - math.Log(s), arg == target
}
