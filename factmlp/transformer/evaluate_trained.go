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
// used (Run, which measures one width, fails instead).
func EvaluateTrained(m *Model, fs *factset.FactSet, mm method.Method, hidden, evalSeqs int, seed uint64) (*RunResult, error) {
	return evaluateTrained(m, fs, mm, evalOptions{hidden: hidden, seqs: evalSeqs, seed: seed, fallbackWidth: true})
}

// evalOptions are the settings of evaluateTrained.
type evalOptions struct {
	hidden, seqs  int
	seed          uint64
	everyFact     bool // every fact asked equally often (EvaluateEveryFact)
	fallbackWidth bool // build the fresh MLP at the method's default width when hidden fails
}

// evaluateTrained is the one evaluation after training (Run and
// EvaluateTrained).
func evaluateTrained(m *Model, fs *factset.FactSet, mm method.Method, o evalOptions) (*RunResult, error) {
	start := time.Now()
	s := EvalSeedsFor(o.seed)
	res := &RunResult{Method: m.MLP.Method, Facts: fs.NumFacts(), Dim: fs.Dim(), Hidden: m.MLP.Hidden(), MLPParams: m.MLP.Params(), Model: m}
	var err error
	if res.Recall, err = evaluate(m, fs.Map, o.seqs, s.Recall, o.everyFact); err != nil {
		return nil, err
	}
	fs2 := FreshMap(fs, s.Swap)
	build := method.Verified(mm)
	g2, err := build(fs2, o.hidden, s.Swap)
	if err != nil && o.hidden != 0 && o.fallbackWidth {
		g2, err = build(fs2, 0, s.Swap)
	}
	if err != nil {
		return nil, fmt.Errorf("transformer: building the fresh MLP for the swap: %w", err)
	}
	if res.FactAdaptive, err = factAdaptive(m, g2, fs2.Map, o.seqs, s.FactAdaptive, o.everyFact); err != nil {
		return nil, err
	}
	if res.Lipschitz, err = mlp.MeasureLipschitz(m.MLP, fs.Keys, 128, 30, 16, 1e-4, s.Lipschitz); err != nil {
		return nil, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}
