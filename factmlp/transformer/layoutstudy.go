package transformer

import (
	"fmt"
	"math"

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

// LayoutSummary is one (task, d) of a LayoutStudy over its seeds.
type LayoutSummary struct {
	Task            string  `table:"task"`
	Dim             int     `table:"d"`
	Seeds           int     `table:"seeds"`
	Recall          float64 `table:"recall (mean)" fmt:"%.4f"`
	FactAdaptive    float64 `table:"fact-adaptive (mean)" fmt:"%.4f"`
	FactAdaptiveMin float64 `table:"min" fmt:"%.4f"`
	FactAdaptiveMax float64 `table:"max" fmt:"%.4f"`
	DeliveryCos     float64 `table:"delivery cos (mean)" fmt:"%.4f"`
	Steps           float64 `table:"steps (mean)" fmt:"%.0f"`
}

// SummarizeLayouts averages pts over seeds per (task, d), in the order
// they first appear.
func SummarizeLayouts(pts []LayoutPoint) []LayoutSummary {
	var out []LayoutSummary
	index := map[[2]any]int{}
	for _, p := range pts {
		k := [2]any{p.Task, p.Dim}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, LayoutSummary{Task: p.Task, Dim: p.Dim, FactAdaptiveMin: math.Inf(1), FactAdaptiveMax: math.Inf(-1)})
		}
		s := &out[i]
		s.Seeds++
		s.Recall += p.Recall
		s.FactAdaptive += p.FactAdaptive
		s.DeliveryCos += p.DeliveryCos
		s.Steps += float64(p.Steps)
		s.FactAdaptiveMin, s.FactAdaptiveMax = math.Min(s.FactAdaptiveMin, p.FactAdaptive), math.Max(s.FactAdaptiveMax, p.FactAdaptive)
	}
	for i := range out {
		n := float64(out[i].Seeds)
		out[i].Recall /= n
		out[i].FactAdaptive /= n
		out[i].DeliveryCos /= n
		out[i].Steps /= n
	}
	return out
}

// FindLayout returns the summary of task at d, and whether there is one.
func FindLayout(sums []LayoutSummary, task string, d int) (LayoutSummary, bool) {
	for _, s := range sums {
		if s.Task == task && s.Dim == d {
			return s, true
		}
	}
	return LayoutSummary{}, false
}
