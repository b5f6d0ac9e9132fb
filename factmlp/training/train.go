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
	res, err := TrainMany([]*factset.FactSet{fs}, opts, []uint64{opts.Seed})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// TrainMany is Train for several fact sets of one shape (facts, key and
// value dimensions, number of values), set k from seed seeds[k] (opts.Seed
// is ignored): the MLPs, all of width opts.Hidden, train side by side in
// one compiled graph, each product batched over a leading model axis, so
// small problems fill the vector lanes and pay the per-call overhead once.
// Each model stops as Train's would; the others go on. Result k is what
// Train(sets[k], opts with Seed seeds[k]) returns, bit for bit: the backend
// runs each model's products with the kernels it runs alone
// (TestTrainManyMatchesTrain).
func TrainMany(sets []*factset.FactSet, opts Options, seeds []uint64) ([]*Result, error) {
	if len(sets) == 0 || len(seeds) != len(sets) {
		return nil, fmt.Errorf("training: %d fact sets and %d seeds; need at least one set and a seed for each", len(sets), len(seeds))
	}
	ps := make([]*problem, len(sets))
	for k, fs := range sets {
		if err := fs.Validate(); err != nil {
			return nil, err
		}
		ps[k] = newProblem(fs.Keys, fs.Values, fs.Targets(), fs.Map)
		if a, b := ps[0], ps[k]; a.n != b.n || a.din != b.din || a.dout != b.dout || a.nv != b.nv {
			return nil, fmt.Errorf("training: fact set %d has %d facts, %d values, keys in ℝ^%d, values in ℝ^%d; set 0 has %d, %d, ℝ^%d, ℝ^%d: sets trained together must have one shape",
				k, b.n, b.nv, b.din, b.dout, a.n, a.nv, a.din, a.dout)
		}
	}
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	return runVerified(ps, opts, seeds, sets, func(k int, w *weights) *mlp.Gated {
		g := w.toGated(opts, nil)
		g.Method = "gd"
		g.Seed = seeds[k]
		return g
	})
}

// runVerified runs GD on ps (model k from seeds[k]), stopping each model
// early once the MLP that gated builds from its weights stores every fact
// of sets[k] (mlp.Verify), and returns the results with the final MLPs and
// their Verify reports.
func runVerified(ps []*problem, opts Options, seeds []uint64, sets []*factset.FactSet, gated func(int, *weights) *mlp.Gated) ([]*Result, error) {
	check := func(k int, w *weights) bool {
		rep, err := mlp.Verify(gated(k, w), sets[k])
		return err == nil && rep.Accuracy == 1
	}
	ws, res, err := run(ps, opts, seeds, check)
	if err != nil {
		return nil, err
	}
	for k, w := range ws {
		g := gated(k, w)
		rep, err := mlp.Verify(g, sets[k])
		if err != nil {
			return nil, err
		}
		res[k].MLP, res[k].Report, res[k].Stored = g, rep, rep.Accuracy == 1
	}
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

// trainer holds the compiled executables and the optimiser state of one
// MLP, or of several of one shape trained side by side (graphConfig.models).
type trainer struct {
	be        compute.Backend
	cfg       graphConfig
	opts      Options
	stepSig   *gomlxtrain.Signature
	evalSig   *gomlxtrain.Signature
	ps        []*problem // one per model, all of one shape
	p         *problem   // ps[0], for the shapes
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
	orders    [][]int      // per model: its keys in minibatch order
	rs        []*rand.Rand // per model: its minibatch shuffles
	t         int          // optimiser steps taken
}

// newTrainer compiles the step for the problems ps (one model each; all of
// one shape) starting from the weights ws, with minibatch orders drawn from
// seeds.
func newTrainer(ps []*problem, opts Options, ws []*weights, seeds []uint64) (*trainer, error) {
	be, err := backend.Get()
	if err != nil {
		return nil, err
	}
	p := ps[0]
	tr := &trainer{be: be, opts: opts, ps: ps, p: p}
	tr.batch = min(p.n, opts.MaxBatch)
	tr.perEpoch = (p.n + tr.batch - 1) / tr.batch
	tr.steps = opts.StepsPerCall
	if tr.steps == 0 {
		// Enough steps per call to amortise the call overhead on small
		// problems; a single step on large ones (compile time grows with k).
		work := len(ps) * tr.batch * (p.nv + 3*opts.Hidden)
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
		fresh: tr.perEpoch > 1, adam: gomlxtrain.DefaultAdam(), naive: opts.naive, splits: runtime.NumCPU(), models: len(ps)}
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
	tr.vals = tr.stack([]int{p.nv, p.dout}, func(q *problem) []float32 { return q.Vals })
	if !tr.cfg.fresh {
		all := iota(p.n)
		tr.fullX = tr.stack([]int{p.n, p.din}, func(q *problem) []float32 { return q.X })
		tr.fullXt = tr.stack([]int{p.din, p.n}, func(q *problem) []float32 { return gatherRowsT(q.X, p.din, all) })
		tr.fullT = tr.stack([]int{p.n, p.dout}, func(q *problem) []float32 { return q.T })
		if opts.naive {
			tr.fullLabel = tr.labels(all)
		}
	}
	shapes := ws[0].shapes()
	for i, s := range shapes {
		tr.state = append(tr.state, tr.stackModels(s, func(k int) []float32 { return ws[k].p[i] }))
	}
	for range 2 {
		for _, s := range shapes {
			tr.state = append(tr.state, tr.stackModels(s, func(int) []float32 { return make([]float32, prod(s)) }))
		}
	}
	for _, seed := range seeds {
		tr.rs = append(tr.rs, rng.Derive(seed, "training/batches"))
		tr.orders = append(tr.orders, iota(p.n))
	}
	return tr, nil
}

// stack is stackModels of each model's problem's data.
func (tr *trainer) stack(dims []int, data func(*problem) []float32) *tensors.Tensor {
	return tr.stackModels(dims, func(k int) []float32 { return data(tr.ps[k]) })
}

// stackModels is a tensor of dims holding data(0) (one model), or of
// K×dims holding data(0), …, data(K−1) (models side by side). It copies.
func (tr *trainer) stackModels(dims []int, data func(k int) []float32) *tensors.Tensor {
	if !tr.cfg.batched() {
		return tensors.FromFlatDataAndDimensions(append([]float32(nil), data(0)...), dims...)
	}
	n := prod(dims)
	flat := make([]float32, 0, len(tr.ps)*n)
	for k := range tr.ps {
		flat = append(flat, data(k)[:n]...)
	}
	return tensors.FromFlatDataAndDimensions(flat, append([]int{len(tr.ps)}, dims...)...)
}

func prod(s []int) int {
	n := 1
	for _, x := range s {
		n *= x
	}
	return n
}

// gatherRows copies rows idx of src (row length c).
func gatherRows(src []float32, c int, idx []int) []float32 {
	out := make([]float32, len(idx)*c)
	for i, j := range idx {
		copy(out[i*c:(i+1)*c], src[j*c:(j+1)*c])
	}
	return out
}

// gatherRowsT is gatherRows transposed: c×len(idx).
func gatherRowsT(src []float32, c int, idx []int) []float32 {
	n := len(idx)
	out := make([]float32, n*c)
	for i, j := range idx {
		row := src[j*c : (j+1)*c]
		for k, x := range row {
			out[k*n+i] = x
		}
	}
	return out
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
		p := tr.p
		var xs, xts, ts, ls []*tensors.Tensor
		for s := 0; s < tr.steps; s++ {
			pos := (tr.t + s) % tr.perEpoch
			// Per model: its own shuffle; the last minibatch of an epoch
			// wraps around so all batches have the same shape.
			idx := make([][]int, len(tr.ps))
			for k, order := range tr.orders {
				if pos == 0 {
					tr.rs[k].Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
				}
				idx[k] = make([]int, tr.batch)
				for i := range idx[k] {
					idx[k][i] = order[(pos*tr.batch+i)%p.n]
				}
			}
			xs = append(xs, tr.stackModels([]int{tr.batch, p.din}, func(k int) []float32 { return gatherRows(tr.ps[k].X, p.din, idx[k]) }))
			xts = append(xts, tr.stackModels([]int{p.din, tr.batch}, func(k int) []float32 { return gatherRowsT(tr.ps[k].X, p.din, idx[k]) }))
			ts = append(ts, tr.stackModels([]int{tr.batch, p.dout}, func(k int) []float32 { return gatherRows(tr.ps[k].T, p.dout, idx[k]) }))
			if tr.opts.naive {
				ls = append(ls, tr.labels(idx[0]))
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

// labels is the tensor of the target indices of the keys idx (the naive
// baseline graph's input; one model only).
func (tr *trainer) labels(idx []int) *tensors.Tensor {
	lab := make([]int32, len(idx))
	for i, j := range idx {
		lab[i] = int32(tr.p.Map[j])
	}
	return tensors.FromFlatDataAndDimensions(lab, len(idx))
}

// evaluate returns each model's training-graph accuracy and mean loss over
// all keys, in chunks of the batch size (the last chunk padded).
func (tr *trainer) evaluate() (acc, loss []float64, err error) {
	p := tr.p
	K := len(tr.ps)
	np := tr.cfg.numParams()
	chunk := min(p.n, tr.batch)
	correct, total := make([]float64, K), make([]float64, K)
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
			x = tr.stack([]int{chunk, p.din}, func(q *problem) []float32 { return gatherRows(q.X, p.din, idx) })
			t = tr.stack([]int{chunk, p.dout}, func(q *problem) []float32 { return gatherRows(q.T, p.dout, idx) })
			defer x.FinalizeAll()
			defer t.FinalizeAll()
		}
		lab := make([]int32, 0, K*chunk)
		for _, q := range tr.ps {
			for _, j := range idx {
				lab = append(lab, int32(q.Map[j]))
			}
		}
		var labels *tensors.Tensor
		if tr.cfg.batched() {
			labels = tensors.FromFlatDataAndDimensions(lab, K, chunk)
		} else {
			labels = tensors.FromFlatDataAndDimensions(lab, chunk)
		}
		args, err := tr.evalSig.Args().Set("x", x).Set("t", t).Set("values", tr.vals).Set("labels", labels).
			SetTensors("param", tr.state[:np]).List()
		if err != nil {
			return nil, nil, err
		}
		out, err := tr.evalExec.Exec(args...)
		_ = labels.FinalizeAll()
		if err != nil {
			return nil, nil, err
		}
		c := tensors.MustCopyFlatData[float32](out[0])
		l := tensors.MustCopyFlatData[float32](out[1])
		for k := range K {
			for i := 0; i < valid; i++ {
				correct[k] += float64(c[k*chunk+i])
				total[k] += float64(l[k*chunk+i])
			}
		}
		for _, o := range out {
			_ = o.FinalizeAll()
		}
	}
	acc, loss = make([]float64, K), make([]float64, K)
	for k := range K {
		acc[k], loss[k] = correct[k]/float64(p.n), total[k]/float64(p.n)
	}
	return acc, loss, nil
}

// weights returns model k's current weights.
func (tr *trainer) weights(k int) *weights {
	w := &weights{h: tr.opts.Hidden, din: tr.p.din, dout: tr.p.dout}
	for _, s := range tr.state[:tr.cfg.numParams()] {
		flat := tensors.MustCopyFlatData[float32](s)
		n := len(flat) / len(tr.ps)
		w.p = append(w.p, flat[k*n:(k+1)*n])
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

// run trains one model per problem, model k from seeds[k], side by side in
// one graph when there are several, and returns each one's final weights.
// Each model stops (its weights and result are kept; the graph keeps
// stepping it with the others) at the first evaluation where the training
// graph reports every fact correct, or its loss at the cutoff, and check
// (nil: none), its exact test, passes; if the test fails it keeps training.
func run(ps []*problem, opts Options, seeds []uint64, check func(k int, w *weights) bool) (ws []*weights, res []*Result, err error) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("training: GoMLX failed: %v", r)
		}
	}()
	K := len(ps)
	w0 := make([]*weights, K)
	for k, seed := range seeds {
		w0[k] = initWeights(opts.Hidden, ps[k].din, ps[k].dout, opts.Bias, rng.Derive(seed, "training/init"))
	}
	tr, err := newTrainer(ps, opts, w0, seeds)
	if err != nil {
		return nil, nil, err
	}
	defer tr.close()
	totalSteps := opts.Epochs * tr.perEpoch
	evalSteps := opts.EvalEvery * tr.perEpoch
	ws, res = make([]*weights, K), make([]*Result, K)
	for k := range res {
		res[k] = &Result{}
	}
	finish := func(k int, w *weights) {
		ws[k] = w
		res[k].Steps = tr.t
		res[k].Epochs = (tr.t + tr.perEpoch - 1) / tr.perEpoch
		res[k].Seconds = time.Since(start).Seconds()
	}
	running := K
	nextEval := evalSteps
	for tr.t < totalSteps && running > 0 {
		if err := tr.call(totalSteps); err != nil {
			return nil, nil, fmt.Errorf("training: step %d: %w", tr.t, err)
		}
		if tr.t < nextEval && tr.t < totalSteps {
			continue
		}
		nextEval = tr.t + evalSteps
		acc, loss, err := tr.evaluate()
		if err != nil {
			return nil, nil, fmt.Errorf("training: evaluation at step %d: %w", tr.t, err)
		}
		worst := 1.0
		for k := range K {
			if ws[k] != nil {
				continue
			}
			res[k].TrainAccuracy, res[k].Loss = acc[k], loss[k]
			if math.IsNaN(loss[k]) {
				return nil, nil, fmt.Errorf("training: loss became NaN at epoch %d%s; lower the learning rate (lr=%g)", tr.t/tr.perEpoch, modelName(k, K), opts.LR)
			}
			worst = min(worst, acc[k])
			if !opts.KeepGoing && (acc[k] == 1 || loss[k] <= opts.LossCutoff) {
				if w := tr.weights(k); check == nil || check(k, w) {
					finish(k, w)
					running--
				}
			}
		}
		msg := fmt.Sprintf("loss %.3g, accuracy %.4f", loss[0], acc[0])
		if K > 1 {
			msg = fmt.Sprintf("%d of %d models done, lowest accuracy %.4f", K-running, K, worst)
		}
		opts.Progress.Report(tr.t/tr.perEpoch, opts.Epochs, msg)
	}
	for k := range K {
		if ws[k] == nil {
			finish(k, tr.weights(k))
		}
	}
	return ws, res, nil
}

// modelName is " (model k)" when several models train together.
func modelName(k, n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(" (model %d)", k)
}
