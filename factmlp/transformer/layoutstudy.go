package transformer

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// LayoutStudy trains the Transformer on one fact set per seed under each
// task preset and each embedding dimension: how much the number of junk
// tokens costs at a given d. JSON-encodable (a notebook's cache key).
type LayoutStudy struct {
	Facts    int
	Dims     []int
	Tasks    []string // TaskPresets names
	Seeds    []uint64
	Method   string // MLP method at its default width ("": encdec)
	Steps    int    // training step budget (early stopping as in DefaultTrainOptions)
	EvalSeqs int    // sequences per evaluation (0: 2000)
}

// LayoutPoint is one (task, d, seed) of a LayoutStudy.
type LayoutPoint struct {
	Task         string  `table:"task"`
	Dim          int     `table:"d"`
	Seed         uint64  `table:"seed"`
	Steps        int     `table:"steps"`
	Recall       float64 `table:"recall"`
	FactAdaptive float64 `table:"fact-adaptive"`
	DeliveryCos  float64 `table:"delivery cos" fmt:"%.4f"` // mean cosine between the MLP's input and the key embedding
}

// Run trains and measures every (task, d, seed).
func (s LayoutStudy) Run(prog progress.Func) ([]LayoutPoint, error) {
	if s.Facts < 2 || len(s.Dims) == 0 || len(s.Tasks) == 0 || len(s.Seeds) == 0 || s.Steps < 1 {
		return nil, fmt.Errorf("transformer: layout study needs facts ≥ 2, steps ≥ 1 and at least one d, task and seed; got facts %d, steps %d, d %v, tasks %v, seeds %v",
			s.Facts, s.Steps, s.Dims, s.Tasks, s.Seeds)
	}
	m := s.Method
	if m == "" {
		m = "encdec"
	}
	total := len(s.Tasks) * len(s.Dims) * len(s.Seeds)
	var out []LayoutPoint
	for _, name := range s.Tasks {
		task, err := TaskByName(name, s.Facts)
		if err != nil {
			return nil, err
		}
		for _, d := range s.Dims {
			for _, seed := range s.Seeds {
				opt := DefaultTrainOptions()
				opt.Steps, opt.Seed = s.Steps, seed
				done := len(out)
				opt.Progress = func(step, steps int, note string) {
					prog.Report(done*steps+step, total*steps, fmt.Sprintf("%s d=%d seed %d: %s", name, d, seed, note))
				}
				r, err := Run(RunConfig{Facts: factset.Spec{N: s.Facts, Dim: d, Seed: seed}, Method: m, Seed: seed, Task: task, Train: opt, EvalSeqs: s.EvalSeqs})
				if err != nil {
					return nil, fmt.Errorf("transformer: layout study %s d=%d seed %d: %w", name, d, seed, err)
				}
				out = append(out, LayoutPoint{name, d, seed, r.Train.Steps, r.Recall.Accuracy, r.FactAdaptive.Accuracy, r.FactAdaptive.DeliveryCos})
			}
		}
	}
	return out, nil
}
