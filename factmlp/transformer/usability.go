package transformer

import (
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// Study is a JSON-encodable SSFR set-up: what a notebook caches a result
// under and what the study drivers below expand into a RunConfig.
type Study struct {
	Facts    factset.Spec // tied fact set
	Method   string       // MLP maker (Methods)
	Hidden   int          // MLP width (0: the method's default)
	Steps    int          // training step budget (early stopping as in DefaultTrainOptions)
	Junk     int          // junk tokens of the task (0: DefaultTask's)
	EvalSeqs int          // sequences per evaluation (0: 2000)
	Seed     uint64       // seeds the MLP, the Transformer and the data stream
}

// RunConfig expands s: DefaultTrainOptions with s's steps and seed.
func (s Study) RunConfig() RunConfig {
	opt := DefaultTrainOptions()
	opt.Steps, opt.Seed = s.Steps, s.Seed
	var task Task
	if s.Junk > 0 {
		task = DefaultTask(s.Facts.N)
		task.Junk = s.Junk
	}
	return RunConfig{Facts: s.Facts, Method: s.Method, Hidden: s.Hidden, Seed: s.Seed, Task: task, Train: opt, EvalSeqs: s.EvalSeqs}
}

// Summary is the JSON-encodable part of a RunResult; the tags name its
// table columns (kernelext.ShowTable).
type Summary struct {
	Hidden       int          `table:"MLP hidden"`
	Params       int          `table:"MLP params"`
	Steps        int          `table:"steps"`
	Recall       float64      `table:"recall"`
	FactAdaptive float64      `table:"fact-adaptive"`
	DeliveryCos  float64      `table:"delivery cos"`
	Margin       float64      `table:"fact-adaptive margin"`
	Lipschitz    float64      `table:"Lipschitz (relative)"` // max ‖J‖/‖f‖ at the keys
	SeqsPerSec   float64      `table:"train seq/s" fmt:"%.0f"`
	Seconds      float64      `table:"seconds" fmt:"%.1f"`
	History      []TrainPoint `table:"-"`
}

// Summary returns what r measured, without the model.
func (r *RunResult) Summary() Summary {
	return Summary{Recall: r.Recall.Accuracy, FactAdaptive: r.FactAdaptive.Accuracy, DeliveryCos: r.FactAdaptive.DeliveryCos,
		Margin: r.FactAdaptive.MeanMargin, Lipschitz: r.Lipschitz.Max, SeqsPerSec: r.Train.SeqsPerSecond, Seconds: r.Seconds,
		Steps: r.Train.Steps, Hidden: r.Hidden, Params: r.MLPParams, History: r.Train.History}
}

// Run trains and measures s once.
func (s Study) Run(prog progress.Func) (Summary, error) {
	cfg := s.RunConfig()
	cfg.Train.Progress = prog
	r, err := Run(cfg)
	if err != nil {
		return Summary{}, err
	}
	return r.Summary(), nil
}

// Ablations runs s with the constrained model and with each constraint
// switched off alone (AblationTable).
func (s Study) Ablations(prog progress.Func) ([]AblationRow, error) {
	cfg := s.RunConfig()
	cfg.Progress = prog
	return AblationTable(cfg)
}

// WidthStudy measures each method inside the Transformer at multiples of
// the smallest width that stores the facts on its own.
type WidthStudy struct {
	Study            // Method and Hidden are ignored
	Methods []string // MLP makers to compare
	Factors []int    // widths = factor × standalone minimum
}

// MethodWidths is one method's width sweep.
type MethodWidths struct {
	Method                             string
	StandaloneHidden, StandaloneParams int
	Points                             []WidthPoint
}

// standaloneSearch is where the standalone minimum is searched: start, lowest and highest width.
const standaloneStart, standaloneLo, standaloneHi = 64, 4, 1 << 14

// Run sweeps every method of w.
func (w WidthStudy) Run(prog progress.Func) ([]MethodWidths, error) {
	fs, err := w.Facts.Generate()
	if err != nil {
		return nil, err
	}
	var out []MethodWidths
	for _, m := range w.Methods {
		mm, err := MLPMethod(m)
		if err != nil {
			return nil, err
		}
		h0, p0, err := StandaloneSearch(fs, mm, w.Seed, standaloneStart, standaloneLo, standaloneHi)
		if err != nil {
			return nil, err
		}
		var widths []int
		for _, f := range w.Factors {
			widths = append(widths, f*h0)
		}
		s := w.Study
		s.Method = m
		pts, err := WidthSweep(s.RunConfig(), widths, func(done, total int, note string) { prog.Report(done, total, m+" "+note) })
		if err != nil {
			return nil, err
		}
		out = append(out, MethodWidths{m, h0, p0, pts})
	}
	return out, nil
}
