package editing

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
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

// lmParamNames names the LM's trainable weights, in the order of
// paramTensors, setParams and lmWeightsOf.
var lmParamNames = []string{"wq", "wk0", "wk1", "bk1", "wk2", "wr1", "br1", "wr2", "br2", "wo", "bo", "log_tau", "ua", "va"}

var numParams = len(lmParamNames)

func (m *LM) paramTensors() []*tensors.Tensor {
	d := m.Dim()
	hk, hr := m.KeyHidden, m.RouterHidden
	mt, vt := gomlxtrain.Tensor, gomlxtrain.VecTensor
	return []*tensors.Tensor{
		mt(m.Wq), mt(m.Wk0), mt(m.Wk1), vt(m.Bk1, hk), mt(m.Wk2),
		mt(m.Wr1), vt(m.Br1, hr), vt(m.Wr2, hr), vt([]float64{m.Br2}, 1),
		mt(m.Wo), vt(m.Bo, d), vt([]float64{m.LogTau}, 1),
		mt(m.Ua), mt(m.Va),
	}
}

func (m *LM) ctxRank() int { _, r := m.Ua.Dims(); return r }

func (m *LM) setParams(ts []*tensors.Tensor) error {
	flat := make([][]float64, len(ts))
	for i, t := range ts {
		v, err := tensors.CopyFlatData[float32](t)
		if err != nil {
			return err
		}
		flat[i] = gomlxtrain.Vec64(v)
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

// lmWeights are the LM's trainable weights inside a graph (see LM).
type lmWeights struct {
	Wq, Wk0, Wk1, Bk1, Wk2 *Node // attention: query, key (linear + MLP)
	Wr1, Br1, Wr2, Br2     *Node // router
	Wo, Bo, LogTau, Ua, Va *Node // other path, logit scale, context path
}

// lmWeightsOf names the parameters p (lmParamNames order).
func lmWeightsOf(p []*Node) lmWeights {
	return lmWeights{Wq: p[0], Wk0: p[1], Wk1: p[2], Bk1: p[3], Wk2: p[4], Wr1: p[5], Br1: p[6], Wr2: p[7], Br2: p[8],
		Wo: p[9], Bo: p[10], LogTau: p[11], Ua: p[12], Va: p[13]}
}

// lmBatch is one minibatch inside a graph: input embeddings X and
// next-token embeddings YE (B×T×d), label weights W and fact-position
// indicators F (B×T), the embedding table Emb (V×d) and the causal Mask
// (T×T, additive).
type lmBatch struct {
	X, YE, W, F, Emb, Mask *Node
}

func siluNode(x *Node) *Node { return gomlxtrain.Activate(mlp.SiLU, x) }

// lossGraph builds the weighted next-token CE (plus the router penalty)
// and the fact recall of the LM with weights w and fact MLP fact on b.
func lossGraph(w lmWeights, b lmBatch, fact gomlxtrain.Gated, routerL1 float64) (loss, acc *Node) {
	X, YE, W, F, E := b.X, b.YE, b.W, b.F, b.Emb
	d := X.Shape().Dimensions[2]
	q := Einsum("btd,de->bte", X, w.Wq)
	k := Einsum("btd,de->bte", X, w.Wk0)
	kh := siluNode(Add(Einsum("btd,dh->bth", X, w.Wk1), Reshape(w.Bk1, 1, 1, -1)))
	k = Add(k, Einsum("bth,hd->btd", kh, w.Wk2))
	s := MulScalar(Einsum("bte,bse->bts", q, k), 1/math.Sqrt(float64(d)))
	s = Add(s, InsertAxes(b.Mask, 0))
	alpha := Softmax(s, -1)
	a := Einsum("bts,bsd->btd", alpha, X)
	ah := Div(a, Sqrt(AddScalar(ReduceAndKeep(Square(a), ReduceSum, -1), 1e-12)))
	mo := fact.Apply(ah)
	rh := siluNode(Add(Einsum("btd,dh->bth", X, w.Wr1), Reshape(w.Br1, 1, 1, -1)))
	gl := Add(Einsum("bth,h->bt", rh, w.Wr2), Reshape(w.Br2, 1, 1))
	g := Sigmoid(gl)
	o := Add(Einsum("btd,de->bte", X, w.Wo), Reshape(w.Bo, 1, 1, -1))
	o = Add(o, Einsum("btr,rd->btd", Einsum("btd,dr->btr", ah, w.Ua), w.Va))
	mo = Div(mo, Sqrt(AddScalar(ReduceAndKeep(Square(mo), ReduceSum, -1), 1e-12)))
	z := Add(Mul(InsertAxes(g, -1), mo), o)
	tau := Exp(Reshape(w.LogTau))
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
			gomlxtrain.Copy32(b.X[(bi*T+i)*d:], m.Emb.RawRowView(t))
			if i+1 < len(s) {
				gomlxtrain.Copy32(b.YE[(bi*T+i)*d:], m.Emb.RawRowView(s[i+1]))
				b.W[bi*T+i] = 1
			}
		}
		b.W[bi*T+len(s)-2] = float32(factWeight)
		b.F[bi*T+len(s)-2] = 1
	}
	return b, nil
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
	adam := gomlxtrain.DefaultAdam() // no weight decay
	sig := gomlxtrain.NewSignature().Group("param", numParams).Group("m", numParams).Group("v", numParams).
		Add("t", "lr", "x", "ye", "w", "f", "emb", "mask").Group("fact", len(gomlxtrain.GatedNames))
	exec, err := sig.Exec(be, func(in gomlxtrain.Inputs) []*Node {
		p, mo, vo := in.Group("param"), in.Group("m"), in.Group("v")
		fp := in.Group("fact")
		fact := gomlxtrain.Gated{Act: act, Gate: fp[0], Up: fp[1], Down: fp[2], GateBias: fp[3], UpBias: fp[4], DownBias: fp[5]}
		b := lmBatch{X: in.Get("x"), YE: in.Get("ye"), W: in.Get("w"), F: in.Get("f"), Emb: in.Get("emb"), Mask: in.Get("mask")}
		loss, acc := lossGraph(lmWeightsOf(p), b, fact, opts.RouterL1)
		grads := Gradient(loss, p...)
		scale := adam.InGraph(in.Get("lr"), in.Get("t"))
		newP, newM, newV := make([]*Node, numParams), make([]*Node, numParams), make([]*Node, numParams)
		for i := range p {
			newP[i], newM[i], newV[i] = adam.Update(scale, p[i], mo[i], vo[i], grads[i], false)
		}
		return append(slices.Concat(newP, newM, newV), loss, acc)
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
	emb, mask := tensors.FromFlatDataAndDimensions(gomlxtrain.Float32s(m.Emb), V, d), causalMask(T)
	facts := make([][]*tensors.Tensor, len(vs))
	for k, v := range vs {
		facts[k] = gomlxtrain.GatedTensors(v.Fact)
	}
	sched := gomlxtrain.Cosine{Peak: opts.LR, Floor: opts.LR / 20, Steps: opts.Steps}
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
		args, err := sig.Args().SetTensors("param", params).SetTensors("m", moms).SetTensors("v", vels).
			Set("t", tensors.FromScalar(float32(step))).Set("lr", tensors.FromScalar(float32(sched.At(step-1)))).
			Set("x", tensors.FromFlatDataAndDimensions(b.X, b.B, b.T, d)).
			Set("ye", tensors.FromFlatDataAndDimensions(b.YE, b.B, b.T, d)).
			Set("w", tensors.FromFlatDataAndDimensions(b.W, b.B, b.T)).
			Set("f", tensors.FromFlatDataAndDimensions(b.F, b.B, b.T)).
			Set("emb", emb).Set("mask", mask).SetTensors("fact", facts[vi]).List()
		if err != nil {
			return st, err
		}
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
