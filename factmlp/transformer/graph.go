package transformer

import (
	"math"

	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph code reads best unqualified
)

// rmsEps guards the RMS norms in float32 (the successor uses 1e-30 in float32
// via PyTorch; any value far below 1/d works for unit-scale activations).
const rmsEps = 1e-12

// mlpNodes are the fact MLP's weights inside a graph (float32, mlpOrder).
type mlpNodes struct {
	gate, up, down, gateB, upB, downB *Node
}

// mlpOrder is the order of the MLP tensors in graph inputs and files.
var mlpOrder = []string{"mlp.gate", "mlp.up", "mlp.down", "mlp.gate_bias", "mlp.up_bias", "mlp.down_bias"}

// mlpTensors flattens g to float32 in mlpOrder (absent biases become zeros).
func mlpTensors(g *mlp.Gated) ([][]float32, [][]int) { return gomlxtrain.GatedData(g) }

// applyMLP runs the gated MLP on rows of z ([B,d]).
func applyMLP(act mlp.Activation, w mlpNodes, z *Node) *Node {
	return gomlxtrain.Gated{Act: act, Gate: w.gate, Up: w.up, Down: w.down,
		GateBias: w.gateB, UpBias: w.upB, DownBias: w.downB}.Apply(z)
}

// rmsNorm divides each row of x ([B,d]) by its RMS.
func rmsNorm(x *Node) *Node {
	ms := ReduceAndKeep(Square(x), ReduceMean, -1)
	return Div(x, Sqrt(AddScalar(ms, rmsEps)))
}

// ropeTables returns cos and sin for positions [0,T) and frequency pairs
// [0,d/2): HF-Llama "rotate half" layout, θ_i = base^{-2i/d}.
func ropeTables(T, d int, base float64) (cos, sin [][]float32) {
	cos, sin = make([][]float32, T), make([][]float32, T)
	for p := 0; p < T; p++ {
		cos[p], sin[p] = make([]float32, d/2), make([]float32, d/2)
		for i := 0; i < d/2; i++ {
			a := float64(p) * math.Pow(base, -2*float64(i)/float64(d))
			cos[p][i], sin[p][i] = float32(math.Cos(a)), float32(math.Sin(a))
		}
	}
	return
}

// rope rotates the last axis of x by the tables cos, sin (broadcastable to
// x's shape with the last axis halved).
func rope(x, cos, sin *Node) *Node {
	r := x.Rank()
	d := x.Shape().Dimensions[r-1]
	specs := func(lo, hi int) []SliceAxisSpec {
		s := make([]SliceAxisSpec, r)
		for i := range s {
			s[i] = AxisRange()
		}
		s[r-1] = AxisRange(lo, hi)
		return s
	}
	x1, x2 := Slice(x, specs(0, d/2)...), Slice(x, specs(d/2, d)...)
	return Concatenate([]*Node{
		Sub(Mul(x1, cos), Mul(x2, sin)),
		Add(Mul(x2, cos), Mul(x1, sin)),
	}, -1)
}

// forwardOut is what the query-position forward pass produces.
type forwardOut struct {
	logits *Node // [B,V]: √d·⟨ŷ, e_j⟩ for every vocabulary token
	z      *Node // [B,d]: the MLP's input (after the pre-MLP RMSNorm)
	y      *Node // [B,d]: the MLP's output
}

// forward computes the model's output at each sequence's query position only.
// w holds the model weights by name (weightOrder), tokens is [B,T] int32,
// qpos [B] int32.
func forward(m *Model, act mlp.Activation, w map[string]*Node, mw mlpNodes, tokens, qpos *Node) forwardOut {
	g := tokens.Graph()
	d := m.Dim
	B, T := tokens.Shape().Dimensions[0], tokens.Shape().Dimensions[1]
	a := m.Cfg.Ablation
	cosT, sinT := ropeTables(T, d, m.Cfg.RoPEBase)
	cosN, sinN := Const(g, cosT), Const(g, sinT) // [T, d/2]

	x := Gather(w["emb_in"], InsertAxes(tokens, -1)) // [B,T,d]
	qIdx := InsertAxes(qpos, -1)                     // [B,1]
	// The token at Q is the query token for every sequence.
	xq := Gather(x, Concatenate([]*Node{InsertAxes(Iota(g, qpos.Shape(), 0), -1), qIdx}, -1)) // [B,d]

	q := Einsum("bd,ed->be", xq, w["wq"])
	k := Einsum("btd,ed->bte", x, w["wk"])
	q = rope(q, Gather(cosN, qIdx), Gather(sinN, qIdx))
	k = rope(k, InsertAxes(cosN, 0), InsertAxes(sinN, 0))
	scores := MulScalar(Einsum("bd,btd->bt", q, k), 1/math.Sqrt(float64(d)))
	// Causal mask for the query row: positions 0…qpos (pad only follows Q).
	pos := Iota(g, scores.Shape(), 1)
	mask := LessOrEqual(ConvertDType(pos, dtypes.Int32), BroadcastToDims(InsertAxes(qpos, -1), B, T))
	att := MaskedSoftmax(scores, mask, -1)
	// W_v is linear, so Σ_t a_t W_v x_t = W_v Σ_t a_t x_t: apply it after the sum.
	ctx := Einsum("bt,btd->bd", att, x)
	h := Einsum("bd,ed->be", Einsum("bd,ed->be", ctx, w["wv"]), w["wo"])
	if a.Residuals {
		h = Add(h, xq)
	}
	z := Mul(rmsNorm(h), InsertAxes(w["norm_scale"], 0))
	y := applyMLP(act, mw, z)
	out := y
	if a.Residuals {
		out = Add(out, h)
	}
	logits := Einsum("bd,vd->bv", rmsNorm(out), w["emb_out"])
	return forwardOut{logits: logits, z: z, y: y}
}

// lossAndCorrect returns the mean cross-entropy at Q and the number of
// correct argmax predictions over the whole vocabulary.
func lossAndCorrect(logits, target *Node) (loss, correct *Node) {
	V := logits.Shape().Dimensions[1]
	logp := LogSoftmax(logits, -1)
	oh := OneHot(target, V, logits.DType())
	loss = Neg(ReduceAllMean(ReduceSum(Mul(oh, logp), -1)))
	pred := ArgMax(logits, -1, dtypes.Int32)
	correct = ReduceAllSum(ConvertDType(Equal(pred, target), dtypes.Float32))
	return
}
