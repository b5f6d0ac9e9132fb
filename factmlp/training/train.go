package training

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/gonum/mat"
)

// Loss selects the training objective.
type Loss string

// The two objectives: cross-entropy over dot-product logits against all
// values (the paper's GD baseline) and mean squared error to the target.
const (
	CE  Loss = "ce"
	MSE Loss = "mse"
)

// ParseLoss accepts "ce" (or "cross-entropy") and "mse".
func ParseLoss(s string) (Loss, error) {
	switch s {
	case "ce", "cross-entropy", "crossentropy", "":
		return CE, nil
	case "mse":
		return MSE, nil
	}
	return "", fmt.Errorf("training: unknown loss %q; accepted: ce, mse", s)
}

// Options configures one training run. Zero values take the defaults noted.
type Options struct {
	Hidden int            // hidden width h (required, ≥ 1)
	Act    mlp.Activation // gate non-linearity; default identity (the paper's GD capacity sweeps)
	Bias   bool           // train biases b_g, b_u, b_d (default: none, as in the capacity sweeps)
	Loss   Loss           // default CE
	LR     float64        // peak learning rate; default 1e-2
	MinLR  float64        // cosine floor; default 1e-6
	Epochs int            // epoch budget (the cosine period); default 2000
	// MaxBatch is the largest full batch; larger fact sets train on
	// shuffled minibatches of this size (CE still over all values).
	// Default 4096.
	MaxBatch int
	// LossCutoff stops training once the mean loss is at or below it;
	// default 1e-7 (the successor code's cutoff).
	LossCutoff float64
	// EvalEvery is how many epochs pass between accuracy checks; default 25.
	EvalEvery int
	// StepsPerCall is how many optimiser steps one compiled call runs;
	// default chosen from the problem size.
	StepsPerCall int
	WeightDecay  float64 // decoupled weight decay on the matrices (AdamW); default 0
	Seed         uint64  // seeds the initialisation and the minibatch order
	Progress     progress.Func
	// KeepGoing trains for the whole budget even after every fact decodes
	// (useful to measure loss curves); default false.
	KeepGoing bool

	naive bool // benchmark baseline graph
}

func (o Options) withDefaults() Options {
	if o.Act == "" {
		o.Act = mlp.Identity
	}
	if o.Loss == "" {
		o.Loss = CE
	}
	if o.LR == 0 {
		o.LR = 1e-2
	}
	if o.MinLR == 0 {
		o.MinLR = 1e-6
	}
	if o.Epochs == 0 {
		o.Epochs = 2000
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = 4096
	}
	if o.LossCutoff == 0 {
		o.LossCutoff = 1e-7
	}
	if o.EvalEvery == 0 {
		o.EvalEvery = 25
	}
	return o
}

func (o Options) validate() error {
	if o.Hidden < 1 {
		return fmt.Errorf("training: hidden width %d; it must be at least 1", o.Hidden)
	}
	if _, err := mlp.ParseActivation(string(o.Act)); err != nil {
		return err
	}
	if _, err := ParseLoss(string(o.Loss)); err != nil {
		return err
	}
	if !(o.LR > 0) || math.IsInf(o.LR, 0) || !(o.MinLR > 0) || o.MinLR > o.LR {
		return fmt.Errorf("training: learning rates lr=%g, min_lr=%g; need 0 < min_lr ≤ lr", o.LR, o.MinLR)
	}
	if o.Epochs < 1 || o.EvalEvery < 1 || o.MaxBatch < 1 || o.StepsPerCall < 0 {
		return fmt.Errorf("training: epochs=%d, eval_every=%d, max_batch=%d, steps_per_call=%d; epochs, eval_every and max_batch must be ≥ 1, steps_per_call ≥ 0",
			o.Epochs, o.EvalEvery, o.MaxBatch, o.StepsPerCall)
	}
	if o.WeightDecay < 0 {
		return fmt.Errorf("training: weight decay %g; it must be ≥ 0", o.WeightDecay)
	}
	return nil
}

// Result is the outcome of a training run.
type Result struct {
	MLP    *mlp.Gated // float64 copy of the trained weights, Method "gd"
	Report mlp.Report // mlp.Verify on the fact set
	Stored bool       // Report.Accuracy == 1 (every fact decodes in float64)
	Epochs int        // epochs run
	Steps  int        // optimiser steps run
	// Loss and TrainAccuracy are the last values the float32 training
	// graph measured.
	Loss          float64
	TrainAccuracy float64
	Seconds       float64
}

// Train fits a gated MLP with opts.Hidden hidden units to fs by gradient
// descent and checks it with mlp.Verify.
func Train(fs *factset.FactSet, opts Options) (*Result, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	p := newProblem(fs.Keys, fs.Values, fs.Targets(), fs.Map)
	return runVerified(p, opts, fs, func(w *weights) *mlp.Gated {
		g := w.toGated(opts, nil)
		g.Method = "gd"
		g.Seed = opts.Seed
		return g
	})
}

// runVerified runs GD on p, stopping early once the MLP that gated builds
// from the weights stores every fact of fs (mlp.Verify), and returns the
// result with the final MLP and its Verify report.
func runVerified(p *problem, opts Options, fs *factset.FactSet, gated func(*weights) *mlp.Gated) (*Result, error) {
	check := func(w *weights) bool {
		rep, err := mlp.Verify(gated(w), fs)
		return err == nil && rep.Accuracy == 1
	}
	w, res, err := run(p, opts, check)
	if err != nil {
		return nil, err
	}
	g := gated(w)
	rep, err := mlp.Verify(g, fs)
	if err != nil {
		return nil, err
	}
	res.MLP, res.Report, res.Stored = g, rep, rep.Accuracy == 1
	return res, nil
}

// problem is a GD problem in float32: inputs X (n×din), logits against
// Vals (nv×dout), targets T (n×dout) and target indices Map.
type problem struct {
	n, din, dout, nv int
	X, Vals, T       []float32
	Map              []int
}

func newProblem(X, Vals, T *mat.Dense, m []int) *problem {
	n, din := X.Dims()
	nv, dout := Vals.Dims()
	return &problem{n: n, din: din, dout: dout, nv: nv,
		X: gomlxtrain.Float32s(X), Vals: gomlxtrain.Float32s(Vals), T: gomlxtrain.Float32s(T), Map: m}
}

// weights are the trained float32 parameters.
type weights struct {
	h, din, dout int
	p            [][]float32 // in parameter order
}

// toGated copies the weights into a float64 mlp.Gated; a non-nil decoder
// (d×dout) is multiplied into the down projection.
func (w *weights) toGated(opts Options, decoder *mat.Dense) *mlp.Gated {
	to64, vec := gomlxtrain.Dense64, gomlxtrain.Vec64
	gate, up := to64(w.p[0], w.din, w.h), to64(w.p[1], w.din, w.h)
	g := &mlp.Gated{Gate: mat.DenseCopyOf(gate.T()), Up: mat.DenseCopyOf(up.T()), Act: opts.Act}
	down := to64(w.p[2], w.dout, w.h)
	if decoder != nil {
		var dd mat.Dense
		dd.Mul(decoder, down)
		down = &dd
	}
	g.Down = down
	if len(w.p) == 6 {
		g.GateBias, g.UpBias = vec(w.p[3]), vec(w.p[4])
		db := vec(w.p[5])
		if decoder != nil {
			r, _ := decoder.Dims()
			out := make([]float64, r)
			for i := 0; i < r; i++ {
				out[i] = mat.Dot(decoder.RowView(i), mat.NewVecDense(len(db), db))
			}
			db = out
		}
		g.DownBias = db
	}
	return g
}

// initWeights draws PyTorch's nn.Linear default: weights and biases
// uniform in ±1/√fan_in (kaiming_uniform with a = √5).
func initWeights(h, din, dout int, bias bool, r *rand.Rand) *weights {
	u := func(n, fanIn int) []float32 {
		b := 1 / math.Sqrt(float64(fanIn))
		x := make([]float32, n)
		for i := range x {
			x[i] = float32((2*r.Float64() - 1) * b)
		}
		return x
	}
	w := &weights{h: h, din: din, dout: dout}
	// Gate and up are stored transposed (din×h); the draws are i.i.d., so
	// drawing them in that order changes nothing but the seed's stream.
	w.p = [][]float32{u(h*din, din), u(h*din, din), u(dout*h, h)}
	if bias {
		w.p = append(w.p, u(h, din), u(h, din), u(dout, h))
	}
	return w
}

func (w *weights) shapes() [][]int {
	s := [][]int{{w.din, w.h}, {w.din, w.h}, {w.dout, w.h}}
	if len(w.p) == 6 {
		s = append(s, []int{1, w.h}, []int{1, w.h}, []int{1, w.dout})
	}
	return s
}

// trainer holds the compiled executables and the optimiser state.
type trainer struct {
	be        compute.Backend
	cfg       graphConfig
	opts      Options
	sched     gomlxtrain.Cosine
	stepSig   *gomlxtrain.Signature
	evalSig   *gomlxtrain.Signature
	p         *problem
	batch     int
	perEpoch  int // steps per epoch
	steps     int // steps per call
	stepExec  *graph.Exec
	evalExec  *graph.Exec
	state     []*tensors.Tensor // params, m, v
	vals      *tensors.Tensor
	fullX     *tensors.Tensor
	fullXt    *tensors.Tensor
	fullT     *tensors.Tensor
	fullLabel *tensors.Tensor
	order     []int
	r         *rand.Rand
	t         int // optimiser steps taken
}

func newTrainer(p *problem, opts Options, w *weights) (*trainer, error) {
	be, err := backend.Get()
	if err != nil {
		return nil, err
	}
	tr := &trainer{be: be, opts: opts, p: p, r: rng.Derive(opts.Seed, "training/batches")}
	tr.batch = min(p.n, opts.MaxBatch)
	tr.perEpoch = (p.n + tr.batch - 1) / tr.batch
	tr.steps = opts.StepsPerCall
	if tr.steps == 0 {
		// Enough steps per call to amortise the call overhead on small
		// problems; a single step on large ones (compile time grows with k).
		work := tr.batch * (p.nv + 3*opts.Hidden)
		switch {
		case work <= 1<<17:
			tr.steps = 8
		case work <= 1<<20:
			tr.steps = 4
		default:
			tr.steps = 1
		}
	}
	if tr.perEpoch == 1 {
		tr.steps = min(tr.steps, opts.EvalEvery)
	}
	tr.cfg = graphConfig{act: opts.Act, bias: opts.Bias, loss: opts.Loss, steps: tr.steps,
		fresh: tr.perEpoch > 1, adam: gomlxtrain.DefaultAdam(), naive: opts.naive, splits: runtime.NumCPU()}
	tr.cfg.adam.WeightDecay = opts.WeightDecay
	tr.stepSig, tr.evalSig = stepSignature(tr.cfg), evalSignature(tr.cfg)
	tr.stepExec, err = tr.stepSig.Exec(be, stepGraph(tr.cfg))
	if err != nil {
		return nil, err
	}
	tr.evalExec, err = tr.evalSig.Exec(be, evalGraph(tr.cfg))
	if err != nil {
		return nil, err
	}
	tr.vals = tensors.FromFlatDataAndDimensions(p.Vals, p.nv, p.dout)
	if !tr.cfg.fresh {
		tr.fullX = tensors.FromFlatDataAndDimensions(p.X, p.n, p.din)
		tr.fullXt = gatherBatchT(p.X, p.din, iota(p.n))
		tr.fullT = tensors.FromFlatDataAndDimensions(p.T, p.n, p.dout)
		if opts.naive {
			tr.fullLabel = tr.labels(iota(p.n))
		}
	}
	for i, s := range w.shapes() {
		tr.state = append(tr.state, tensors.FromFlatDataAndDimensions(append([]float32(nil), w.p[i]...), s...))
	}
	for k := 0; k < 2; k++ {
		for _, s := range w.shapes() {
			tr.state = append(tr.state, tensors.FromFlatDataAndDimensions(make([]float32, prod(s)), s...))
		}
	}
	tr.order = make([]int, p.n)
	for i := range tr.order {
		tr.order[i] = i
	}
	return tr, nil
}

func prod(s []int) int {
	n := 1
	for _, x := range s {
		n *= x
	}
	return n
}

// gatherBatch copies rows idx of src (row length c) into a new tensor.
func gatherBatch(src []float32, c int, idx []int) *tensors.Tensor {
	out := make([]float32, len(idx)*c)
	for i, j := range idx {
		copy(out[i*c:(i+1)*c], src[j*c:(j+1)*c])
	}
	return tensors.FromFlatDataAndDimensions(out, len(idx), c)
}

// gatherBatchT is gatherBatch transposed: a c×len(idx) tensor.
func gatherBatchT(src []float32, c int, idx []int) *tensors.Tensor {
	n := len(idx)
	out := make([]float32, n*c)
	for i, j := range idx {
		row := src[j*c : (j+1)*c]
		for k, x := range row {
			out[k*n+i] = x
		}
	}
	return tensors.FromFlatDataAndDimensions(out, c, n)
}

func iota(n int) []int {
	x := make([]int, n)
	for i := range x {
		x[i] = i
	}
	return x
}

// call runs tr.steps optimiser steps of a schedule of totalSteps.
func (tr *trainer) call(totalSteps int) error {
	args := tr.stepSig.Args().Set("values", tr.vals).SetTensors("param", tr.state[:tr.cfg.numParams()])
	np := tr.cfg.numParams()
	args.SetTensors("m", tr.state[np:2*np]).SetTensors("v", tr.state[2*np:])
	sched := gomlxtrain.Cosine{Peak: tr.opts.LR, Floor: tr.opts.MinLR, Steps: totalSteps}
	as, cs := make([]any, tr.steps), make([]any, tr.steps)
	for s := range tr.steps {
		a, c := tr.cfg.adam.Fold(sched.At(tr.t+s), tr.t+s+1)
		as[s], cs[s] = float32(a), float32(c)
	}
	args.SetGroup("a", as...).SetGroup("c", cs...)
	if tr.cfg.fresh {
		var xs, xts, ts, ls []*tensors.Tensor
		for s := 0; s < tr.steps; s++ {
			pos := (tr.t + s) % tr.perEpoch
			if pos == 0 {
				tr.r.Shuffle(len(tr.order), func(a, b int) { tr.order[a], tr.order[b] = tr.order[b], tr.order[a] })
			}
			// The last minibatch of an epoch wraps around so all batches
			// have the same shape.
			idx := make([]int, tr.batch)
			for i := range idx {
				idx[i] = tr.order[(pos*tr.batch+i)%tr.p.n]
			}
			xs = append(xs, gatherBatch(tr.p.X, tr.p.din, idx))
			xts = append(xts, gatherBatchT(tr.p.X, tr.p.din, idx))
			ts = append(ts, gatherBatch(tr.p.T, tr.p.dout, idx))
			if tr.opts.naive {
				ls = append(ls, tr.labels(idx))
			}
		}
		defer func() {
			for _, t := range slices.Concat(xs, xts, ts, ls) {
				_ = t.FinalizeAll()
			}
		}()
		args.SetTensors("x", xs).SetTensors("xt", xts).SetTensors("t", ts).SetTensors("labels", ls)
	} else {
		args.Set("x", tr.fullX).Set("xt", tr.fullXt).Set("t", tr.fullT)
		if tr.opts.naive {
			args.Set("labels", tr.fullLabel)
		}
	}
	list, err := args.List()
	if err != nil {
		return err
	}
	out, err := tr.stepExec.Exec(list...)
	if err != nil {
		return err
	}
	for _, s := range tr.state {
		_ = s.FinalizeAll()
	}
	tr.state = out
	tr.t += tr.steps
	return nil
}

// labels is the tensor of the target indices of the keys idx.
func (tr *trainer) labels(idx []int) *tensors.Tensor {
	lab := make([]int32, len(idx))
	for i, j := range idx {
		lab[i] = int32(tr.p.Map[j])
	}
	return tensors.FromFlatDataAndDimensions(lab, len(idx))
}

// evaluate returns the training graph's accuracy and mean loss over all
// keys, in chunks of the batch size (the last chunk padded).
func (tr *trainer) evaluate() (acc, loss float64, err error) {
	p := tr.p
	np := tr.cfg.numParams()
	chunk := min(p.n, tr.batch)
	var correct, total float64
	for lo := 0; lo < p.n; lo += chunk {
		idx := make([]int, chunk)
		valid := min(chunk, p.n-lo)
		for i := range idx {
			idx[i] = lo + min(i, valid-1)
		}
		var x, t *tensors.Tensor
		if lo == 0 && chunk == p.n && tr.fullX != nil {
			x, t = tr.fullX, tr.fullT
		} else {
			x, t = gatherBatch(p.X, p.din, idx), gatherBatch(p.T, p.dout, idx)
			defer x.FinalizeAll()
			defer t.FinalizeAll()
		}
		lab := make([]int32, chunk)
		for i, j := range idx {
			lab[i] = int32(p.Map[j])
		}
		args, err := tr.evalSig.Args().Set("x", x).Set("t", t).Set("values", tr.vals).Set("labels", lab).
			SetTensors("param", tr.state[:np]).List()
		if err != nil {
			return 0, 0, err
		}
		out, err := tr.evalExec.Exec(args...)
		if err != nil {
			return 0, 0, err
		}
		c := tensors.MustCopyFlatData[float32](out[0])
		l := tensors.MustCopyFlatData[float32](out[1])
		for i := 0; i < valid; i++ {
			correct += float64(c[i])
			total += float64(l[i])
		}
		for _, o := range out {
			_ = o.FinalizeAll()
		}
	}
	return correct / float64(p.n), total / float64(p.n), nil
}

func (tr *trainer) weights() *weights {
	w := &weights{h: tr.opts.Hidden, din: tr.p.din, dout: tr.p.dout}
	for _, s := range tr.state[:tr.cfg.numParams()] {
		w.p = append(w.p, tensors.MustCopyFlatData[float32](s))
	}
	return w
}

func (tr *trainer) close() {
	for _, s := range tr.state {
		_ = s.FinalizeAll()
	}
	for _, t := range []*tensors.Tensor{tr.vals, tr.fullX, tr.fullXt, tr.fullT, tr.fullLabel} {
		if t != nil {
			_ = t.FinalizeAll()
		}
	}
	tr.stepExec.Finalize()
	tr.evalExec.Finalize()
}

// run trains on p and returns the final weights.
//
// check, when not nil, is the exact test applied when the training graph
// reports every fact correct; if it fails, training continues.
func run(p *problem, opts Options, check func(*weights) bool) (w *weights, res *Result, err error) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("training: GoMLX failed: %v", r)
		}
	}()
	w0 := initWeights(opts.Hidden, p.din, p.dout, opts.Bias, rng.Derive(opts.Seed, "training/init"))
	tr, err := newTrainer(p, opts, w0)
	if err != nil {
		return nil, nil, err
	}
	defer tr.close()
	totalSteps := opts.Epochs * tr.perEpoch
	evalSteps := opts.EvalEvery * tr.perEpoch
	res = &Result{}
	nextEval := evalSteps
	for tr.t < totalSteps {
		if err := tr.call(totalSteps); err != nil {
			return nil, nil, fmt.Errorf("training: step %d: %w", tr.t, err)
		}
		if tr.t >= nextEval || tr.t >= totalSteps {
			nextEval = tr.t + evalSteps
			acc, loss, err := tr.evaluate()
			if err != nil {
				return nil, nil, fmt.Errorf("training: evaluation at step %d: %w", tr.t, err)
			}
			res.TrainAccuracy, res.Loss = acc, loss
			if math.IsNaN(loss) {
				return nil, nil, fmt.Errorf("training: loss became NaN at epoch %d; lower the learning rate (lr=%g)", tr.t/tr.perEpoch, opts.LR)
			}
			opts.Progress.Report(tr.t/tr.perEpoch, opts.Epochs, fmt.Sprintf("loss %.3g, accuracy %.4f", loss, acc))
			if !opts.KeepGoing && (acc == 1 || loss <= opts.LossCutoff) {
				if check == nil || check(tr.weights()) {
					break
				}
			}
		}
	}
	res.Steps = tr.t
	res.Epochs = (tr.t + tr.perEpoch - 1) / tr.perEpoch
	res.Seconds = time.Since(start).Seconds()
	return tr.weights(), res, nil
}
