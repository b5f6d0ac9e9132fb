package transformer

import (
	"fmt"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// EvalSeeds are the seeds of the evaluation that follows training, all
// derived from a run's seed. The offsets are part of every recorded
// number (Run and EvaluateTrained use them), so they do not change.
type EvalSeeds struct {
	Recall       uint64 // sequences of the recall evaluation (seed + 101)
	Swap         uint64 // the fresh map and the fresh MLP of the swap (seed + 7777)
	FactAdaptive uint64 // sequences of the fact-adaptive evaluation (seed + 202)
	Lipschitz    uint64 // probes of the Lipschitz estimate (seed)
}

// EvalSeedsFor returns the evaluation seeds of a run with seed.
func EvalSeedsFor(seed uint64) EvalSeeds {
	return EvalSeeds{Recall: seed + 101, Swap: seed + 7777, FactAdaptive: seed + 202, Lipschitz: seed}
}

// EvaluateTrained evaluates a trained model as Run does after training:
// recall on the map its MLP stores (fs, the model's fact set), fact-adaptive
// accuracy with a fresh MLP built by mm for a fresh map on the same
// embeddings, and the Lipschitz constant of its MLP at the keys, each with
// evalSeqs sequences and the seeds of EvalSeedsFor(seed). The fresh MLP has
// width hidden (0: the method's default); if that width fails for the new
// map (encdec may need another code dimension), the method's default is
// used.
func EvaluateTrained(m *Model, fs *factset.FactSet, mm method.Method, hidden, evalSeqs int, seed uint64) (*RunResult, error) {
	start := time.Now()
	s := EvalSeedsFor(seed)
	res := &RunResult{Method: m.MLP.Method, Facts: fs.NumFacts(), Dim: fs.Dim(), Hidden: m.MLP.Hidden(), MLPParams: m.MLP.Params(), Model: m}
	var err error
	if res.Recall, err = Evaluate(m, fs.Map, evalSeqs, s.Recall); err != nil {
		return nil, err
	}
	fs2 := FreshMap(fs, s.Swap)
	build := method.Verified(mm)
	g2, err := build(fs2, hidden, s.Swap)
	if err != nil && hidden != 0 {
		g2, err = build(fs2, 0, s.Swap)
	}
	if err != nil {
		return nil, fmt.Errorf("transformer: building the fresh MLP for the swap: %w", err)
	}
	if res.FactAdaptive, err = FactAdaptive(m, g2, fs2.Map, evalSeqs, s.FactAdaptive); err != nil {
		return nil, err
	}
	if res.Lipschitz, err = mlp.MeasureLipschitz(m.MLP, fs.Keys, 128, 30, 16, 1e-4, s.Lipschitz); err != nil {
		return nil, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}
