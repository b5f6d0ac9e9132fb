package transformer

import (
	"fmt"
	"math"
	"time"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/gomlx/compute/dtypes"
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
	case o.Beta1 < 0 || o.Beta1 >= 1 || o.Beta2 < 0 || o.Beta2 >= 1:
		return fmt.Errorf("transformer: Adam betas must be in [0,1), got %g, %g", o.Beta1, o.Beta2)
	}
	return nil
}

// lrAt is the learning rate schedule: linear warm-up then cosine to LR/10.
func (o TrainOptions) lrAt(step int) float64 {
	if step < o.Warmup {
		return o.LR * float64(step+1) / float64(o.Warmup)
	}
	t := float64(step-o.Warmup) / math.Max(1, float64(o.Steps-o.Warmup))
	return o.LR * (0.1 + 0.9*0.5*(1+math.Cos(math.Pi*math.Min(t, 1))))
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

func nodesByName(in []*Node) (map[string]*Node, mlpNodes) {
	w := map[string]*Node{}
	for i, n := range weightOrder {
		w[n] = in[i]
	}
	o := len(weightOrder)
	return w, mlpNodes{gate: in[o], up: in[o+1], down: in[o+2], gateB: in[o+3], upB: in[o+4], downB: in[o+5]}
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
	idx := map[string]int{}
	for i, n := range weightOrder {
		idx[n] = i
	}
	nw, nm, nt := len(weightOrder), len(mlpOrder), len(names)
	act := m.MLP.Act
	step := func(in []*Node) []*Node {
		w, mw := nodesByName(in)
		o := nw + nm
		ms, vs := in[o:o+nt], in[o+nt:o+2*nt]
		lr, t := in[o+2*nt], in[o+2*nt+1]
		tokens, qpos, target := in[o+2*nt+2], in[o+2*nt+3], in[o+2*nt+4]
		fo := forward(m, act, w, mw, tokens, qpos)
		loss, correct := lossAndCorrect(fo.logits, target)
		params := make([]*Node, nt)
		for i, n := range names {
			params[i] = w[n]
		}
		grads := Gradient(loss, params...)
		b1, b2 := opt.Beta1, opt.Beta2
		// Bias corrections 1−β^t computed in-graph from the step t (float32).
		c1 := OneMinus(Pow(Scalar(t.Graph(), dtypes.Float32, b1), t))
		c2 := OneMinus(Pow(Scalar(t.Graph(), dtypes.Float32, b2), t))
		var outs, newM, newV []*Node
		for i, p := range params {
			gr := grads[i]
			mNew := Add(MulScalar(ms[i], b1), MulScalar(gr, 1-b1))
			vNew := Add(MulScalar(vs[i], b2), MulScalar(Square(gr), 1-b2))
			upd := Div(Div(mNew, c1), AddScalar(Sqrt(Div(vNew, c2)), opt.Eps))
			if p.Rank() >= 2 && opt.WeightDecay > 0 {
				upd = Add(upd, MulScalar(p, opt.WeightDecay))
			}
			outs = append(outs, Sub(p, Mul(lr, upd)))
			newM, newV = append(newM, mNew), append(newV, vNew)
		}
		outs = append(append(append(outs, newM...), newV...), loss, correct)
		return outs
	}
	exec, err := NewExec(be, step)
	if err != nil {
		return TrainResult{}, err
	}
	defer exec.Finalize()

	wts, mlps := m.graphInputs()
	state := make([]*tensors.Tensor, 3*nt) // params, m, v
	for i, n := range names {
		state[i] = wts[idx[n]]
		dims := m.weightDims(n)
		size := len(*m.weights()[n])
		state[nt+i] = tensors.FromFlatDataAndDimensions(make([]float32, size), dims...)
		state[2*nt+i] = tensors.FromFlatDataAndDimensions(make([]float32, size), dims...)
	}
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
		args := make([]any, 0, nw+nm+3*nt+5)
		for i, n := range weightOrder {
			t := wts[i]
			for j, tn := range names {
				if tn == n {
					t = state[j]
				}
			}
			args = append(args, t)
		}
		for _, t := range mlps {
			args = append(args, t)
		}
		for _, t := range state[nt:] {
			args = append(args, t)
		}
		args = append(args, float32(opt.lrAt(s)), float32(s+1),
			int32Tensor(b.Tokens, b.Size, b.SeqLen), int32Tensor(b.QPos, b.Size), int32Tensor(b.Target, b.Size))
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
