package transformer

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
)

// TrainOptions configures AdamW training of the trainable weights.
type TrainOptions struct {
	Steps       int     // maximum number of steps (one fresh batch each)
	Batch       int     // sequences per step
	LR          float64 // peak learning rate (linear warm-up, cosine decay to LR/10)
	Warmup      int     // warm-up steps
	WeightDecay float64 // decoupled weight decay on matrices (not on the norm scale)
	Beta1       float64
	Beta2       float64
	Eps         float64
	// StopAccuracy stops early once the mean accuracy of the last StopWindow
	// (fresh) training batches reaches it; 0 disables early stopping.
	StopAccuracy float64
	StopWindow   int
	Seed         uint64 // data stream seed
	Progress     progress.Func
}

// DefaultTrainOptions are the settings measured to reach ≥99% recall at the
// fast scale (d=64, F≤1024) within a few hundred steps. The successor code
// uses lr 2e-4, batch 1280 and up to 16,000 steps on a GPU; on 2 CPU cores a
// larger rate with a smaller batch gets there far sooner.
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{Steps: 1500, Batch: 256, LR: 1e-2, Warmup: 50, WeightDecay: 0.1,
		Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, StopAccuracy: 0.995, StopWindow: 20, Seed: 1}
}

func (o TrainOptions) validate() error {
	switch {
	case o.Steps < 1:
		return fmt.Errorf("transformer: steps must be ≥ 1, got %d", o.Steps)
	case o.Batch < 1:
		return fmt.Errorf("transformer: batch must be ≥ 1, got %d", o.Batch)
	case !(o.LR > 0):
		return fmt.Errorf("transformer: learning rate must be > 0, got %g", o.LR)
	}
	if err := o.adam().Validate(); err != nil {
		return fmt.Errorf("transformer: %w", err)
	}
	if err := o.schedule().Validate(); err != nil {
		return fmt.Errorf("transformer: %w", err)
	}
	return nil
}

// schedule is the learning-rate schedule: linear warm-up, then cosine
// decay to LR/10 at Steps.
func (o TrainOptions) schedule() gomlxtrain.Cosine {
	return gomlxtrain.Cosine{Peak: o.LR, Floor: o.LR / 10, Warmup: o.Warmup, Steps: o.Steps}
}

// adam is the optimiser: Adam with decoupled weight decay on the matrices.
func (o TrainOptions) adam() gomlxtrain.Adam {
	return gomlxtrain.Adam{Beta1: o.Beta1, Beta2: o.Beta2, Eps: o.Eps, WeightDecay: o.WeightDecay}
}

// TrainPoint is one logged training step.
type TrainPoint struct {
	Step     int
	Loss     float64
	Accuracy float64 // on that step's fresh batch
}

// TrainResult summarises a training run.
type TrainResult struct {
	Steps          int
	Seconds        float64 // wall time of the training loop (graph compilation included)
	SeqsPerSecond  float64 // training throughput (sequences per second, compilation excluded)
	StepsPerSecond float64
	FinalLoss      float64
	History        []TrainPoint
}

func newTensor(data []float32, dims []int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(append([]float32(nil), data...), dims...)
}

// modelSignature names the inputs every model graph starts with: the model
// weights by their names (weightOrder) and the fact MLP's tensors "mlp"
// (mlpOrder).
func modelSignature() *gomlxtrain.Signature {
	return gomlxtrain.NewSignature().Add(weightOrder...).Group("mlp", len(mlpOrder))
}

// modelArgs starts the arguments of sig with the model weights wts
// (weightOrder) and the MLP tensors mlps (graphInputs).
func modelArgs(sig *gomlxtrain.Signature, wts, mlps []*tensors.Tensor) *gomlxtrain.Args {
	a := sig.Args()
	for i, n := range weightOrder {
		a.Set(n, wts[i])
	}
	return a.SetTensors("mlp", mlps)
}

// modelNodes reads the model weights and the fact MLP from in.
func modelNodes(in gomlxtrain.Inputs) (map[string]*Node, mlpNodes) {
	w := map[string]*Node{}
	for _, n := range weightOrder {
		w[n] = in.Get(n)
	}
	p := in.Group("mlp")
	return w, mlpNodes{gate: p[0], up: p[1], down: p[2], gateB: p[3], upB: p[4], downB: p[5]}
}

func int32Tensor(data []int32, dims ...int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(append([]int32(nil), data...), dims...)
}

// graphInputs builds the weight tensors (weightOrder) and MLP tensors (mlpOrder).
func (m *Model) graphInputs() (wts, mlps []*tensors.Tensor) {
	for _, n := range weightOrder {
		wts = append(wts, newTensor(*m.weights()[n], m.weightDims(n)))
	}
	data, dims := mlpTensors(m.MLP)
	for i := range data {
		mlps = append(mlps, newTensor(data[i], dims[i]))
	}
	return
}

// Train fits the trainable weights (W_q, W_k and whatever the ablation
// unfreezes) on fresh SSFR batches for the map mapping, with the model's
// current MLP frozen in the MLP slot. The model's weights are updated in place;
// frozen weights are never written.
func Train(m *Model, mapping []int, opt TrainOptions) (TrainResult, error) {
	if err := opt.validate(); err != nil {
		return TrainResult{}, err
	}
	be, err := backend.Get()
	if err != nil {
		return TrainResult{}, err
	}
	names := m.Cfg.Ablation.TrainableNames()
	trainable := map[string]bool{}
	for _, n := range names {
		trainable[n] = true
	}
	nt := len(names)
	act := m.MLP.Act
	adam := opt.adam()
	sig := modelSignature().Group("m", nt).Group("v", nt).Add("lr", "t", "tokens", "qpos", "target")
	exec, err := sig.Exec(be, func(in gomlxtrain.Inputs) []*Node {
		w, mw := modelNodes(in)
		fo := forward(m, act, w, mw, in.Get("tokens"), in.Get("qpos"))
		loss, correct := lossAndCorrect(fo.logits, in.Get("target"))
		params := make([]*Node, nt)
		for i, n := range names {
			params[i] = w[n]
		}
		grads := Gradient(loss, params...)
		scale := adam.InGraph(in.Get("lr"), in.Get("t"))
		ms, vs := in.Group("m"), in.Group("v")
		newP, newM, newV := make([]*Node, nt), make([]*Node, nt), make([]*Node, nt)
		for i, p := range params {
			// Decay the matrices only (not the norm scale).
			newP[i], newM[i], newV[i] = adam.Update(scale, p, ms[i], vs[i], grads[i], p.Rank() >= 2)
		}
		return append(slices.Concat(newP, newM, newV), loss, correct)
	})
	if err != nil {
		return TrainResult{}, err
	}
	defer exec.Finalize()

	wts, mlps := m.graphInputs()
	byName := map[string]*tensors.Tensor{}
	for i, n := range weightOrder {
		byName[n] = wts[i]
	}
	state := make([]*tensors.Tensor, 3*nt) // params, m, v
	for i, n := range names {
		state[i] = byName[n]
		dims := m.weightDims(n)
		size := len(*m.weights()[n])
		state[nt+i] = tensors.FromFlatDataAndDimensions(make([]float32, size), dims...)
		state[2*nt+i] = tensors.FromFlatDataAndDimensions(make([]float32, size), dims...)
	}
	sched := opt.schedule()
	r := rng.Derive(opt.Seed, "transformer/train-batches")
	res := TrainResult{}
	start := time.Now()
	var compiled time.Time
	window := make([]float64, 0, opt.StopWindow)
	for s := 0; s < opt.Steps; s++ {
		b, err := m.Cfg.Task.Sample(r, opt.Batch, mapping)
		if err != nil {
			return res, err
		}
		a := modelArgs(sig, wts, mlps)
		for i, n := range names { // the trained weights replace their initial values
			a.Set(n, state[i])
		}
		a.SetTensors("m", state[nt:2*nt]).SetTensors("v", state[2*nt:])
		a.Set("lr", float32(sched.At(s))).Set("t", float32(s+1)).Set("tokens", int32Tensor(b.Tokens, b.Size, b.SeqLen)).
			Set("qpos", int32Tensor(b.QPos, b.Size)).Set("target", int32Tensor(b.Target, b.Size))
		args, err := a.List()
		if err != nil {
			return res, err
		}
		outs, err := exec.Call(args...)
		if err != nil {
			return res, fmt.Errorf("transformer: training step %d: %w", s, err)
		}
		if s == 0 {
			compiled = time.Now()
		}
		copy(state, outs[:3*nt])
		loss := float64(tensors.ToScalar[float32](outs[3*nt]))
		acc := float64(tensors.ToScalar[float32](outs[3*nt+1])) / float64(b.Size)
		if math.IsNaN(loss) {
			return res, fmt.Errorf("transformer: loss became NaN at step %d; lower the learning rate (now %g)", s, opt.LR)
		}
		res.History = append(res.History, TrainPoint{Step: s + 1, Loss: loss, Accuracy: acc})
		res.Steps, res.FinalLoss = s+1, loss
		opt.Progress.Report(s+1, opt.Steps, fmt.Sprintf("loss %.4f acc %.3f", loss, acc))
		if opt.StopAccuracy > 0 && opt.StopWindow > 0 {
			if len(window) == opt.StopWindow {
				window = window[1:]
			}
			window = append(window, acc)
			if len(window) == opt.StopWindow && mean(window) >= opt.StopAccuracy {
				break
			}
		}
	}
	res.Seconds = time.Since(start).Seconds()
	if res.Steps > 1 {
		el := time.Since(compiled).Seconds()
		res.StepsPerSecond = float64(res.Steps-1) / el
		res.SeqsPerSecond = res.StepsPerSecond * float64(opt.Batch)
	}
	for i, n := range names {
		data, err := tensors.CopyFlatData[float32](state[i])
		if err != nil {
			return res, err
		}
		copy(*m.weights()[n], data)
	}
	return res, nil
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
