package transformer

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
)

// EvaluateTrained on Run's trained model gives Run's evaluation, number for
// number: the CLI's --load path and Run share one evaluation.
func TestEvaluateTrainedMatchesRun(t *testing.T) {
	opt := DefaultTrainOptions()
	opt.Steps, opt.Batch = 30, 32
	cfg := RunConfig{Facts: factset.Spec{N: 32, Dim: 16, Seed: 3}, Method: "encdec", Seed: 3,
		Task: Task{Facts: 32, Junk: 2, MinLen: 1, MaxLen: 3}, Train: opt, EvalSeqs: 64}
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mm, err := MLPMethod("encdec")
	if err != nil {
		t.Fatal(err)
	}
	_, fs, _, err := Prepare(cfg) // the float64 fact set Run used (Model.FactSet is rounded to float32)
	if err != nil {
		t.Fatal(err)
	}
	again, err := EvaluateTrained(res.Model, fs, mm, cfg.Hidden, cfg.EvalSeqs, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if again.Recall != res.Recall || again.FactAdaptive != res.FactAdaptive || again.Lipschitz != res.Lipschitz {
		t.Fatalf("EvaluateTrained differs from Run:\n%+v %+v %+v\n%+v %+v %+v", again.Recall, again.FactAdaptive, again.Lipschitz, res.Recall, res.FactAdaptive, res.Lipschitz)
	}
	if s := EvalSeedsFor(3); s.Recall != 104 || s.Swap != 7780 || s.FactAdaptive != 205 || s.Lipschitz != 3 {
		t.Fatalf("evaluation seeds changed: %+v (every recorded number depends on them)", s)
	}
}
