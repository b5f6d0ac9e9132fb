package training

import (
	"fmt"
	"testing"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// BenchmarkStepGoMLXAdam is BenchmarkStep with GoMLX's own Adam
// (ml/train/optimizer, state in model-scope variables) applied to the same
// hand-derived gradients, to compare the optimiser's cost on the GD step.
// (Its update rounds differently from gomlxtrain.Adam, so the trainer keeps
// the latter; see the gomlxtrain package comment.)
func BenchmarkStepGoMLXAdam(b *testing.B) {
	fs := tiedSet(2048, 64, 7)
	p := newProblem(fs.Keys, fs.Values, fs.Targets(), fs.Map)
	opts := Options{Hidden: 512, Act: mlp.Identity, StepsPerCall: 1}.withDefaults()
	w := initWeights(512, 64, 64, false, rng.Derive(1, "init"))
	cfg := graphConfig{act: opts.Act, loss: opts.Loss, steps: 1, splits: 2}
	be, err := backend.Get()
	if err != nil {
		b.Fatal(err)
	}
	store := model.NewStore()
	root := store.RootScope()
	names := []string{"p0_gate", "p1_up", "p2_down"}
	for i, s := range w.shapes() {
		root.VariableWithValue(names[i], tensors.FromFlatDataAndDimensions(append([]float32(nil), w.p[i]...), s...))
	}
	adam, ok := optimizer.Adam().LearningRate(opts.LR).Betas(0.9, 0.999).Epsilon(1e-8).Done().(interface {
		UpdateGraphWithGradients(*model.Scope, []*graph.Node, dtypes.DType)
	})
	if !ok {
		b.Fatal("GoMLX's Adam takes no precomputed gradients")
	}
	exec, err := model.NewExec(be, store, func(scope *model.Scope, in []*graph.Node) {
		var params []*graph.Node
		for v := range scope.IterVariables() {
			if v.Trainable {
				params = append(params, v.NodeValue(in[0].Graph()))
			}
		}
		if len(params) != 3 {
			panic(fmt.Sprintf("%d trainable variables", len(params)))
		}
		grads := gradients(cfg, params, in[0], in[1], in[2], in[3])
		adam.UpdateGraphWithGradients(scope, grads, dtypes.Float32)
	})
	if err != nil {
		b.Fatal(err)
	}
	defer exec.Finalize()
	X := tensors.FromFlatDataAndDimensions(p.X, p.n, p.din)
	Xt := tensors.FromFlatDataAndDimensions(gatherRowsT(p.X, p.din, iota(p.n)), p.din, p.n)
	T := tensors.FromFlatDataAndDimensions(p.T, p.n, p.dout)
	V := tensors.FromFlatDataAndDimensions(p.Vals, p.nv, p.dout)
	if _, err := exec.Exec(X, Xt, T, V); err != nil { // compile and warm up
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := exec.Exec(X, Xt, T, V); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	steps := float64(b.N)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/steps, "ms/step")
	b.ReportMetric((cpuTime()-cpu0)/steps, "cpu-ms/step")
}
