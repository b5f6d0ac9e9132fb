package transformer

import (
	"errors"
	"fmt"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
)

// RunConfig is one end-to-end SSFR experiment: generate a tied fact set,
// build its MLP, train the Transformer, measure recall, fact-adaptive
// accuracy and the MLP's Lipschitz constant.
type RunConfig struct {
	Facts factset.Spec // tied fact set (Family, N, Dim, Seed; Untied must be false)
	// Method names the MLP method (MLPMethod: any registered name, ReLU
	// gate); MLP, if set, overrides it.
	Method string
	MLP    method.Method `json:"-"`
	Hidden int           // MLP hidden width (0: the method's default)
	Seed   uint64        // seeds the MLP and the Transformer
	// Task is the SSFR layout (zero value: DefaultTask).
	Task     Task
	Ablation Ablation
	RoPEBase float64 // 0: 10000
	Train    TrainOptions
	EvalSeqs int           // sequences per evaluation (default 2000)
	Progress progress.Func `json:"-"`
}

// RunResult is what Run measured.
type RunResult struct {
	Method       string
	Facts, Dim   int
	Hidden       int
	MLPParams    int
	Train        TrainResult
	Recall       EvalResult    // with the MLP it trained with
	FactAdaptive EvalResult    // fresh map, fresh MLP, no retraining
	Lipschitz    mlp.Lipschitz // of the trained-with MLP at its keys
	Seconds      float64
	Model        *Model `json:"-"`
}

// mlpMethod is the method cfg builds its MLPs with.
func (cfg RunConfig) mlpMethod() (method.Method, error) {
	if cfg.MLP != nil {
		return cfg.MLP, nil
	}
	return MLPMethod(cfg.Method)
}

// Prepare builds the fact set, the MLP (storing every fact in float64 and
// float32) and the model of cfg (no training); it returns the MLP method too.
func Prepare(cfg RunConfig) (*Model, *factset.FactSet, method.Method, error) {
	spec, err := cfg.Facts.Normalize()
	if err != nil {
		return nil, nil, nil, err
	}
	if spec.Untied {
		return nil, nil, nil, fmt.Errorf("transformer: SSFR needs a tied fact set; got an untied spec")
	}
	fs, err := spec.Generate()
	if err != nil {
		return nil, nil, nil, err
	}
	mm, err := cfg.mlpMethod()
	if err != nil {
		return nil, nil, nil, err
	}
	g, err := method.Verified(mm)(fs, cfg.Hidden, cfg.Seed)
	if err != nil {
		return nil, nil, nil, err
	}
	task := cfg.Task
	if task == (Task{}) {
		task = DefaultTask(fs.NumFacts())
	}
	task.Facts = fs.NumFacts()
	m, err := New(Config{Task: task, Ablation: cfg.Ablation, Seed: cfg.Seed, RoPEBase: cfg.RoPEBase}, fs, g)
	return m, fs, mm, err
}

// FreshMap returns the fact set for the swap: the same embeddings with a
// new random permutation map drawn from seed.
func FreshMap(fs *factset.FactSet, seed uint64) *factset.FactSet {
	return factset.NewTied(fs.Keys, rng.Derive(seed, "transformer/fresh-map"))
}

// Run executes cfg end to end.
func Run(cfg RunConfig) (*RunResult, error) {
	start := time.Now()
	m, fs, mm, err := Prepare(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Train.Steps == 0 {
		p := cfg.Train.Progress
		cfg.Train = DefaultTrainOptions()
		cfg.Train.Progress = p
	}
	if cfg.Train.Progress == nil {
		cfg.Train.Progress = cfg.Progress
	}
	if cfg.EvalSeqs == 0 {
		cfg.EvalSeqs = 2000
	}
	res := &RunResult{Method: m.MLP.Method, Facts: fs.NumFacts(), Dim: fs.Dim(), Hidden: m.MLP.Hidden(), MLPParams: m.MLP.Params(), Model: m}
	if res.Train, err = Train(m, fs.Map, cfg.Train); err != nil {
		return nil, err
	}
	if res.Recall, err = Evaluate(m, fs.Map, cfg.EvalSeqs, cfg.Seed+101); err != nil {
		return nil, err
	}
	fs2 := FreshMap(fs, cfg.Seed+7777)
	// Same method and requested width (0: the method's default, which for
	// encdec may pick a different code dimension for the new map).
	g2, err := method.Verified(mm)(fs2, cfg.Hidden, cfg.Seed+7777)
	if err != nil {
		return nil, fmt.Errorf("transformer: building the fresh MLP for the swap: %w", err)
	}
	if res.FactAdaptive, err = FactAdaptive(m, g2, fs2.Map, cfg.EvalSeqs, cfg.Seed+202); err != nil {
		return nil, err
	}
	if res.Lipschitz, err = mlp.MeasureLipschitz(m.MLP, fs.Keys, 128, 30, 16, 1e-4, cfg.Seed); err != nil {
		return nil, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// AblationRow is one line of the ablation table.
type AblationRow struct {
	Name                   string
	Trainable              int // trainable parameters
	Recall, FactAdaptive   float64
	DropRecall, DropFactAd float64 // versus the constrained model
	Steps                  int
}

// AblationTable runs cfg with the constrained model and with each constraint
// switched off alone (same fact set, MLP, seeds and step budget; early
// stopping off so every variant gets the same budget).
func AblationTable(cfg RunConfig) ([]AblationRow, error) {
	var rows []AblationRow
	for i, ab := range Ablations() {
		c := cfg
		c.Ablation = ab
		if c.Progress != nil {
			p := c.Progress
			c.Train.Progress = func(done, total int, note string) {
				p(i*total+done, len(Ablations())*total, ab.Name()+": "+note)
			}
		}
		r, err := Run(c)
		if err != nil {
			return nil, fmt.Errorf("transformer: ablation %s: %w", ab.Name(), err)
		}
		_, tr := r.Model.Params()
		rows = append(rows, AblationRow{Name: ab.Name(), Trainable: tr, Recall: r.Recall.Accuracy, FactAdaptive: r.FactAdaptive.Accuracy, Steps: r.Train.Steps})
	}
	for i := range rows {
		rows[i].DropRecall = rows[0].Recall - rows[i].Recall
		rows[i].DropFactAd = rows[0].FactAdaptive - rows[i].FactAdaptive
	}
	return rows, nil
}

// CapacityResult is the smallest MLP width at which the Transformer reaches
// the fact-adaptive threshold, next to the smallest width that stores the
// facts standalone.
type CapacityResult struct {
	Method           string
	Facts, Dim       int
	Threshold        float64
	MinHidden        int // in the Transformer (0: none up to the maximum)
	MinParams        int
	StandaloneHidden int // smallest width that stores the facts alone
	StandaloneParams int
	Trials           []widthsearch.Trial
}

// TransformerCapacity searches the smallest hidden width h (in [lo, hi]) at
// which cfg reaches fact-adaptive accuracy ≥ threshold, and the smallest
// width at which the method stores the facts standalone.
func TransformerCapacity(cfg RunConfig, threshold float64, lo, hi int, prog progress.Func) (*CapacityResult, error) {
	m, fs, mm, err := Prepare(cfg)
	if err != nil {
		return nil, err
	}
	out := &CapacityResult{Method: m.MLP.Method, Facts: fs.NumFacts(), Dim: fs.Dim(), Threshold: threshold}
	out.StandaloneHidden, out.StandaloneParams, err = StandaloneSearch(fs, mm, cfg.Seed, m.MLP.Hidden(), lo, hi)
	if err != nil {
		return nil, err
	}
	inTransformer := func(h int) (bool, int, error) {
		c := cfg
		c.Hidden = h
		r, err := Run(c)
		if err != nil {
			return false, 0, nil // this width does not store the facts
		}
		return r.FactAdaptive.Accuracy >= threshold && r.Recall.Accuracy >= threshold, r.MLPParams, nil
	}
	start := max(lo, out.StandaloneHidden)
	sr2, err := widthsearch.Search(inTransformer, widthsearch.Options{Start: start, Min: start, Max: hi, RelTol: 0.1, Progress: prog})
	if err != nil {
		return nil, err
	}
	out.MinHidden, out.MinParams, out.Trials = sr2.MinHidden, sr2.MinParams, sr2.Trials
	return out, nil
}

// StandaloneSearch is the smallest hidden width in [lo, hi] (to within 5%)
// at which m stores fs on its own in float64 and float32, searched from
// start by method.Search (for encdec too, rather than its own m·u search:
// this is the width the Transformer's width sweeps are multiples of); 0, 0
// when none does.
func StandaloneSearch(fs *factset.FactSet, m method.Method, seed uint64, start, lo, hi int) (hidden, params int, err error) {
	b, err := m.Prepare(fs, seed)
	if err != nil {
		return 0, 0, err
	}
	mn, err := method.Search(b, method.SmallestOptions{Start: max(start, lo), Min: lo, Max: hi, RelTol: 0.05})
	if errors.Is(err, method.ErrNoWidth) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	return mn.Hidden, mn.Params, nil
}

// WidthPoint is one MLP width run inside the Transformer.
type WidthPoint struct {
	Hidden, Params       int
	Recall, FactAdaptive float64
	Lipschitz            float64
	DeliveryCos          float64
	Steps                int
	// Note says why a width has no measurement (e.g. the method cannot
	// store the fresh map for the swap at this width); empty otherwise.
	Note string `json:",omitempty"`
}

// WidthSweep runs cfg at each hidden width. A width at which the method
// cannot build an MLP (for the training map or the fresh swap map) is kept
// with its Note set instead of failing the sweep.
func WidthSweep(cfg RunConfig, widths []int, prog progress.Func) ([]WidthPoint, error) {
	var out []WidthPoint
	for i, h := range widths {
		c := cfg
		c.Hidden = h
		if prog != nil {
			c.Train.Progress = func(done, total int, note string) {
				prog(i*total+done, len(widths)*total, fmt.Sprintf("h=%d %s", h, note))
			}
		}
		r, err := Run(c)
		if err != nil {
			out = append(out, WidthPoint{Hidden: h, Note: err.Error()})
			continue
		}
		out = append(out, WidthPoint{Hidden: h, Params: r.MLPParams, Recall: r.Recall.Accuracy, FactAdaptive: r.FactAdaptive.Accuracy,
			Lipschitz: r.Lipschitz.Max, DeliveryCos: r.FactAdaptive.DeliveryCos, Steps: r.Train.Steps})
	}
	for _, p := range out {
		if p.Note == "" {
			return out, nil
		}
	}
	return nil, fmt.Errorf("transformer: no width in %v produced an MLP that stores the facts: %s", widths, out[0].Note)
}
