package editing

import (
	"fmt"
	"math"
	"time"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/gonum/mat"
)

// TrainOptions configures base-model training (full-batch AdamW, float32).
type TrainOptions struct {
	Steps      int     // maximum optimiser steps; default 400
	Batch      int     // sentences per minibatch (drawn without replacement per epoch); default 256
	LR         float64 // peak learning rate (cosine decay to LR/20); default 3e-3
	FactWeight float64 // loss weight of the object token relative to other tokens; default 1
	TargetAcc  float64 // stop once the fact recall of the last 10 minibatches reaches this; default 1 (run all steps)
	Seed       uint64  // minibatch order
	MinSteps   int     // never stop before this many steps; default 250
	// RouterL1 weighs a penalty on the mean router gate over labelled
	// positions, so that the router opens only where the fact MLP helps (the
	// query positions) and a swapped MLP leaves other tokens alone;
	// default 0.2, negative for none.
	RouterL1 float64
	Progress progress.Func `json:"-"`
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Steps == 0 {
		o.Steps = 400
	}
	if o.Batch == 0 {
		o.Batch = 256
	}
	if o.LR == 0 {
		o.LR = 3e-3
	}
	if o.FactWeight == 0 {
		o.FactWeight = 1
	}
	if o.TargetAcc == 0 {
		o.TargetAcc = 1
	}
	if o.MinSteps == 0 {
		o.MinSteps = 250
	}
	if o.RouterL1 == 0 {
		o.RouterL1 = 0.2
	}
	if o.RouterL1 < 0 {
		o.RouterL1 = 0
	}
	return o
}

// TrainStats reports a training run.
type TrainStats struct {
	Steps   int
	Loss    float64 // mean next-token CE (weighted) at the last step
	FactAcc float64 // recall of the object at the query position, training sentences
	Seconds float64
}

func matF32(m mat.Matrix) []float32 {
	r, c := m.Dims()
	out := make([]float32, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out = append(out, float32(m.At(i, j)))
		}
	}
	return out
}

func vecF32(v []float64, n int) []float32 {
	out := make([]float32, n)
	for i := range v {
		out[i] = float32(v[i])
	}
	return out
}

func (m *LM) paramTensors() []*tensors.Tensor {
	d := m.Dim()
	hk, hr := m.KeyHidden, m.RouterHidden
	return []*tensors.Tensor{
		tensors.FromFlatDataAndDimensions(matF32(m.Wq), d, d),
		tensors.FromFlatDataAndDimensions(matF32(m.Wk0), d, d),
		tensors.FromFlatDataAndDimensions(matF32(m.Wk1), d, hk),
		tensors.FromFlatDataAndDimensions(vecF32(m.Bk1, hk), hk),
		tensors.FromFlatDataAndDimensions(matF32(m.Wk2), hk, d),
		tensors.FromFlatDataAndDimensions(matF32(m.Wr1), d, hr),
		tensors.FromFlatDataAndDimensions(vecF32(m.Br1, hr), hr),
		tensors.FromFlatDataAndDimensions(vecF32(m.Wr2, hr), hr),
		tensors.FromFlatDataAndDimensions([]float32{float32(m.Br2)}, 1),
		tensors.FromFlatDataAndDimensions(matF32(m.Wo), d, d),
		tensors.FromFlatDataAndDimensions(vecF32(m.Bo, d), d),
		tensors.FromFlatDataAndDimensions([]float32{float32(m.LogTau)}, 1),
		tensors.FromFlatDataAndDimensions(matF32(m.Ua), d, m.ctxRank()),
		tensors.FromFlatDataAndDimensions(matF32(m.Va), m.ctxRank(), d),
	}
}

const numParams = 14

func (m *LM) ctxRank() int { _, r := m.Ua.Dims(); return r }

func (m *LM) setParams(ts []*tensors.Tensor) error {
	flat := make([][]float64, len(ts))
	for i, t := range ts {
		v, err := tensors.CopyFlatData[float32](t)
		if err != nil {
			return err
		}
		flat[i] = make([]float64, len(v))
		for j, x := range v {
			flat[i][j] = float64(x)
		}
	}
	d := m.Dim()
	hk, hr := m.KeyHidden, m.RouterHidden
	m.Wq = mat.NewDense(d, d, flat[0])
	m.Wk0 = mat.NewDense(d, d, flat[1])
	m.Wk1 = mat.NewDense(d, hk, flat[2])
	m.Bk1 = flat[3]
	m.Wk2 = mat.NewDense(hk, d, flat[4])
	m.Wr1 = mat.NewDense(d, hr, flat[5])
	m.Br1 = flat[6]
	m.Wr2 = flat[7]
	m.Br2 = flat[8][0]
	m.Wo = mat.NewDense(d, d, flat[9])
	m.Bo = flat[10]
	m.LogTau = flat[11][0]
	rk := m.ctxRank()
	m.Ua = mat.NewDense(d, rk, flat[12])
	m.Va = mat.NewDense(rk, d, flat[13])
	return nil
}

func actNode(a mlp.Activation, x *Node) *Node {
	switch a {
	case mlp.ReLU:
		return Max(x, ZerosLike(x))
	case mlp.SiLU:
		return Mul(x, Sigmoid(x))
	}
	return x
}

func siluNode(x *Node) *Node { return Mul(x, Sigmoid(x)) }

// lossGraph builds the weighted next-token CE and the fact recall.
func lossGraph(p []*Node, X, YE, W, F, E, Mask, Gt, Up, Dn, Gb, Ub, Db *Node, act mlp.Activation, routerL1 float64) (loss, acc *Node) {
	d := X.Shape().Dimensions[2]
	Wq, Wk0, Wk1, Bk1, Wk2, Wr1, Br1, Wr2, Br2, Wo, Bo, LogTau, Ua, Va := p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13]
	q := Einsum("btd,de->bte", X, Wq)
	k := Einsum("btd,de->bte", X, Wk0)
	kh := siluNode(Add(Einsum("btd,dh->bth", X, Wk1), Reshape(Bk1, 1, 1, -1)))
	k = Add(k, Einsum("bth,hd->btd", kh, Wk2))
	s := MulScalar(Einsum("bte,bse->bts", q, k), 1/math.Sqrt(float64(d)))
	s = Add(s, InsertAxes(Mask, 0))
	alpha := Softmax(s, -1)
	a := Einsum("bts,bsd->btd", alpha, X)
	ah := Div(a, Sqrt(AddScalar(ReduceAndKeep(Square(a), ReduceSum, -1), 1e-12)))
	gp := Add(Einsum("btd,hd->bth", ah, Gt), Reshape(Gb, 1, 1, -1))
	up := Add(Einsum("btd,hd->bth", ah, Up), Reshape(Ub, 1, 1, -1))
	hd := Mul(actNode(act, gp), up)
	mo := Add(Einsum("bth,dh->btd", hd, Dn), Reshape(Db, 1, 1, -1))
	rh := siluNode(Add(Einsum("btd,dh->bth", X, Wr1), Reshape(Br1, 1, 1, -1)))
	gl := Add(Einsum("bth,h->bt", rh, Wr2), Reshape(Br2, 1, 1))
	g := Sigmoid(gl)
	o := Add(Einsum("btd,de->bte", X, Wo), Reshape(Bo, 1, 1, -1))
	o = Add(o, Einsum("btr,rd->btd", Einsum("btd,dr->btr", ah, Ua), Va))
	mo = Div(mo, Sqrt(AddScalar(ReduceAndKeep(Square(mo), ReduceSum, -1), 1e-12)))
	z := Add(Mul(InsertAxes(g, -1), mo), o)
	tau := Exp(Reshape(LogTau))
	zh := Mul(z, tau)
	logits := Einsum("btd,vd->btv", zh, E)
	mx := StopGradient(ReduceMax(logits, -1))
	lse := Add(mx, Log(ReduceSum(Exp(Sub(logits, InsertAxes(mx, -1))), -1)))
	tl := ReduceSum(Mul(zh, YE), -1)
	ce := Sub(lse, tl)
	loss = Div(ReduceAllSum(Mul(W, ce)), ReduceAllSum(W))
	if routerL1 > 0 {
		lab := ConvertDType(GreaterThan(W, ZerosLike(W)), dtypes.Float32)
		loss = Add(loss, MulScalar(Div(ReduceAllSum(Mul(lab, g)), ReduceAllSum(lab)), routerL1))
	}
	// tl and the logits are summed in different orders: allow float32 slack.
	correct := ConvertDType(GreaterOrEqual(AddScalar(tl, 1e-4), mx), dtypes.Float32)
	acc = Div(ReduceAllSum(Mul(F, correct)), ReduceAllSum(F))
	return
}

// batch holds padded training sentences.
type batch struct {
	B, T        int
	X, YE, W, F []float32
}

func (m *LM) makeBatch(sents [][]int, T int, factWeight float64) (*batch, error) {
	V, d := m.Emb.Dims()
	for _, s := range sents {
		if len(s) < 2 || len(s) > T {
			return nil, fmt.Errorf("editing: sentence of %d tokens; need 2 to %d", len(s), T)
		}
	}
	b := &batch{B: len(sents), T: T, X: make([]float32, len(sents)*T*d), YE: make([]float32, len(sents)*T*d),
		W: make([]float32, len(sents)*T), F: make([]float32, len(sents)*T)}
	for bi, s := range sents {
		for i, t := range s {
			if t < 0 || t >= V {
				return nil, fmt.Errorf("editing: token %d out of range [0, %d)", t, V)
			}
			copy32(b.X[(bi*T+i)*d:], m.Emb.RawRowView(t))
			if i+1 < len(s) {
				copy32(b.YE[(bi*T+i)*d:], m.Emb.RawRowView(s[i+1]))
				b.W[bi*T+i] = 1
			}
		}
		b.W[bi*T+len(s)-2] = float32(factWeight)
		b.F[bi*T+len(s)-2] = 1
	}
	return b, nil
}

func copy32(dst []float32, src []float64) {
	for i, x := range src {
		dst[i] = float32(x)
	}
}

func mlpTensors(g *mlp.Gated) []*tensors.Tensor {
	h, d := g.Hidden(), g.Dim()
	return []*tensors.Tensor{
		tensors.FromFlatDataAndDimensions(matF32(g.Gate), h, d),
		tensors.FromFlatDataAndDimensions(matF32(g.Up), h, d),
		tensors.FromFlatDataAndDimensions(matF32(g.Down), d, h),
		tensors.FromFlatDataAndDimensions(vecF32(g.GateBias, h), h),
		tensors.FromFlatDataAndDimensions(vecF32(g.UpBias, h), h),
		tensors.FromFlatDataAndDimensions(vecF32(g.DownBias, d), d),
	}
}

func causalMask(T int) *tensors.Tensor {
	v := make([]float32, T*T)
	for i := 0; i < T; i++ {
		for j := i + 1; j < T; j++ {
			v[i*T+j] = -1e9
		}
	}
	return tensors.FromFlatDataAndDimensions(v, T, T)
}

// Variant is one fact MLP in the LM's MLP slot together with the training
// sentences whose objects it stores.
type Variant struct {
	Fact  *mlp.Gated
	Sents [][]int
}

// Train fits the model's trainable weights (everything but the embeddings
// and the fact MLP) by next-token prediction on sents with minibatch AdamW
// in float32 on the GoMLX backend.
func (m *LM) Train(sents [][]int, opts TrainOptions) (TrainStats, error) {
	return m.TrainVariants([]Variant{{Fact: m.Fact, Sents: sents}}, opts)
}

// TrainVariants is Train with several fact MLPs taking turns in the MLP slot
// (step s uses variant s mod len(vs)), each with the sentences of the facts
// it stores. Training across MLPs that store different maps of the same
// subjects is fact-adaptive training: the model cannot keep the facts of any
// one MLP in its other weights, so it learns to read whichever MLP it is
// given, which is what MLP swapping needs. Every variant must have the same
// number of sentences (sentence k of every variant is the same phrasing of
// the same subject) and an MLP of the same shape; the model keeps vs[0].Fact.
func (m *LM) TrainVariants(vs []Variant, opts TrainOptions) (TrainStats, error) {
	opts = opts.withDefaults()
	start := time.Now()
	if len(vs) == 0 || len(vs[0].Sents) == 0 {
		return TrainStats{}, fmt.Errorf("editing: no training sentences")
	}
	for k, v := range vs {
		if err := v.Fact.Check(); err != nil {
			return TrainStats{}, err
		}
		if v.Fact.Dim() != m.Dim() {
			return TrainStats{}, fmt.Errorf("editing: fact MLP %d has dimension %d; the embedding dimension is %d", k, v.Fact.Dim(), m.Dim())
		}
		if v.Fact.Hidden() != vs[0].Fact.Hidden() || v.Fact.Act != vs[0].Fact.Act || len(v.Sents) != len(vs[0].Sents) {
			return TrainStats{}, fmt.Errorf("editing: variant %d (width %d, %s, %d sentences) differs from variant 0 (width %d, %s, %d sentences); variants need the same MLP shape and sentence count",
				k, v.Fact.Hidden(), v.Fact.Act, len(v.Sents), vs[0].Fact.Hidden(), vs[0].Fact.Act, len(vs[0].Sents))
		}
	}
	m.Fact = vs[0].Fact
	be, err := getBackend()
	if err != nil {
		return TrainStats{}, err
	}
	sents := vs[0].Sents
	T := 0
	for _, v := range vs {
		for _, s := range v.Sents {
			T = max(T, len(s))
		}
	}
	bs := min(opts.Batch, len(sents))
	r := rng.Derive(opts.Seed, "editing/batches")
	order := r.Perm(len(sents))
	pos := 0
	act := m.Fact.Act
	const beta1, beta2, eps, wd = 0.9, 0.999, 1e-8, 0.0
	exec, err := NewExec(be, func(in []*Node) []*Node {
		p := in[:numParams]
		mo := in[numParams : 2*numParams]
		vo := in[2*numParams : 3*numParams]
		step, lr := in[3*numParams], in[3*numParams+1]
		dat := in[3*numParams+2:]
		loss, acc := lossGraph(p, dat[0], dat[1], dat[2], dat[3], dat[4], dat[5], dat[6], dat[7], dat[8], dat[9], dat[10], dat[11], act, opts.RouterL1)
		grads := Gradient(loss, p...)
		out := make([]*Node, 0, 3*numParams+2)
		newP := make([]*Node, numParams)
		newM := make([]*Node, numParams)
		newV := make([]*Node, numParams)
		bc1 := OneMinus(Pow(Scalar(step.Graph(), dtypes.Float32, beta1), step))
		bc2 := OneMinus(Pow(Scalar(step.Graph(), dtypes.Float32, beta2), step))
		for i := range p {
			newM[i] = Add(MulScalar(mo[i], beta1), MulScalar(grads[i], 1-beta1))
			newV[i] = Add(MulScalar(vo[i], beta2), MulScalar(Square(grads[i]), 1-beta2))
			upd := Div(Div(newM[i], bc1), AddScalar(Sqrt(Div(newV[i], bc2)), eps))
			if wd > 0 {
				upd = Add(upd, MulScalar(p[i], wd))
			}
			newP[i] = Sub(p[i], Mul(lr, upd))
		}
		out = append(out, newP...)
		out = append(out, newM...)
		out = append(out, newV...)
		return append(out, loss, acc)
	})
	if err != nil {
		return TrainStats{}, err
	}
	defer exec.Finalize()
	params := m.paramTensors()
	moms := make([]*tensors.Tensor, numParams)
	vels := make([]*tensors.Tensor, numParams)
	for i, p := range params {
		moms[i] = tensors.FromShape(p.Shape())
		vels[i] = tensors.FromShape(p.Shape())
	}
	V, d := m.Emb.Dims()
	// Embeddings and mask are shared; only the MLP tensors differ by variant.
	emb, mask := tensors.FromFlatDataAndDimensions(matF32(m.Emb), V, d), causalMask(T)
	fixed := make([][]any, len(vs))
	for k, v := range vs {
		fixed[k] = []any{emb, mask}
		for _, t := range mlpTensors(v.Fact) {
			fixed[k] = append(fixed[k], t)
		}
	}
	st := TrainStats{}
	var recent []float64
	for step := 1; step <= opts.Steps; step++ {
		vi := (step - 1) % len(vs)
		picked := make([][]int, bs)
		for k := range picked {
			if pos == len(order) {
				order, pos = r.Perm(len(sents)), 0
			}
			picked[k] = vs[vi].Sents[order[pos]]
			pos++
		}
		b, err := m.makeBatch(picked, T, opts.FactWeight)
		if err != nil {
			return st, err
		}
		data := append([]any{
			tensors.FromFlatDataAndDimensions(b.X, b.B, b.T, d),
			tensors.FromFlatDataAndDimensions(b.YE, b.B, b.T, d),
			tensors.FromFlatDataAndDimensions(b.W, b.B, b.T),
			tensors.FromFlatDataAndDimensions(b.F, b.B, b.T),
		}, fixed[vi]...)
		frac := float64(step-1) / float64(opts.Steps)
		lr := opts.LR * (0.05 + 0.95*0.5*(1+math.Cos(math.Pi*frac)))
		args := make([]any, 0, 3*numParams+2+len(data))
		for _, t := range params {
			args = append(args, t)
		}
		for _, t := range moms {
			args = append(args, t)
		}
		for _, t := range vels {
			args = append(args, t)
		}
		args = append(args, tensors.FromScalar(float32(step)), tensors.FromScalar(float32(lr)))
		args = append(args, data...)
		outs, err := exec.Exec(args...)
		if err != nil {
			return st, fmt.Errorf("editing: training step %d: %w", step, err)
		}
		params, moms, vels = outs[:numParams], outs[numParams:2*numParams], outs[2*numParams:3*numParams]
		st.Loss = float64(tensors.MustCopyFlatData[float32](outs[3*numParams])[0])
		st.FactAcc = float64(tensors.MustCopyFlatData[float32](outs[3*numParams+1])[0])
		st.Steps = step
		if math.IsNaN(st.Loss) {
			return st, fmt.Errorf("editing: training diverged (NaN loss) at step %d; lower the learning rate (%g)", step, opts.LR)
		}
		if opts.Progress != nil && (step%25 == 0 || step == opts.Steps) {
			opts.Progress(step, opts.Steps, fmt.Sprintf("loss %.4f, fact recall %.4f", st.Loss, st.FactAcc))
		}
		recent = append(recent, st.FactAcc)
		if len(recent) > 10 {
			recent = recent[1:]
		}
		mean := 0.0
		for _, a := range recent {
			mean += a / float64(len(recent))
		}
		if step >= opts.MinSteps && len(recent) == 10 && mean >= opts.TargetAcc {
			break
		}
	}
	if err := m.setParams(params); err != nil {
		return st, err
	}
	st.Seconds = time.Since(start).Seconds()
	return st, nil
}
