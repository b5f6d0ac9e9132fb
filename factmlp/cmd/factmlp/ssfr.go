package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/resources"
	"github.com/factmlp/factmlp/factmlp/transformer"
)

func init() {
	register(command{name: "ssfr", summary: "train a one-layer Transformer to read a frozen fact MLP (SSFR task); recall, fact-adaptive accuracy, Lipschitz", run: runSSFR})
}

var ablationNames = map[string]transformer.Ablation{
	"none": {}, "residuals": {Residuals: true}, "vo": {TrainableVO: true},
	"embeddings": {UntiedEmbeddings: true}, "norm": {LearnableNorm: true},
}

func runSSFR(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("ssfr", flag.ContinueOnError)
	methodName := fl.String("method", "encdec", "fact MLP method: "+strings.Join(method.Names(), "|"))
	alias(fl, "mlp-method", "method")
	family := fl.String("family", "spherical", "embedding family: "+strings.Join(factset.Families, "|"))
	facts := fl.Int("facts", 256, "number of facts F (tied: keys = values, random permutation map)")
	dim := fl.Int("dim", 64, "embedding dimension d (even)")
	hidden := fl.Int("hidden", 0, "MLP hidden width (0: the method's default; required for gd and ntk)")
	whiten := fl.Float64("whiten", 0, "whitening strength α in [0,1] for the "+strings.Join(method.TakenBy(method.SetWhiten), ", ")+" MLP (0: none)")
	steps := fl.Int("steps", 1500, "maximum training steps (early stop at 99.5% batch accuracy)")
	batch := fl.Int("batch", 256, "sequences per training step")
	lr := fl.Float64("lr", 1e-2, "AdamW peak learning rate")
	taskName := fl.String("task", "authors-9junk", "SSFR layout: "+strings.Join(transformer.TaskPresets, "|")+" (authors-9junk: 9 junk tokens, runs of 9, the successor code's presets; easy-4junk: 4 junk tokens, runs of 4-12, not the authors')")
	junk := fl.Int("junk", 0, "number of junk tokens (0: the --task preset's)")
	capacityMode := fl.Bool("capacity", false, "search the smallest MLP width at which the Transformer reaches --threshold fact-adaptive accuracy (every fact asked), beside the standalone minimum; --hidden is ignored")
	threshold := fl.Float64("threshold", 0.99, "with --capacity: fact-adaptive accuracy a width must reach")
	maxHidden := fl.Int("max-hidden", 4096, "with --capacity: largest width searched")
	cacheDir := fl.String("cache", "", "with --capacity: cache directory for the standalone search and every trial")
	ropeBase := fl.Float64("rope-base", 10000, "RoPE base (the successor code uses 10000^(d/1024))")
	ablation := fl.String("ablation", "none", "switch off one constraint: none|residuals|vo|embeddings|norm")
	seed := fl.Uint64("seed", 1, "random seed (fact set, MLP, Transformer, data)")
	evalSeqs := fl.Int("eval", 2000, "sequences per evaluation")
	asJSON := fl.Bool("json", false, `print {"train_accuracy","fact_adaptive_accuracy","steps","lipschitz","seconds"} only (lipschitz = max over keys of the MLP Jacobian's spectral norm)`)
	save := fl.String("save", "", "write the trained Transformer (and its MLP) to FILE.safetensors")
	load := fl.String("load", "", "load a Transformer from FILE.safetensors instead of training; evaluates it and swaps in a fresh --method MLP")
	quiet := fl.Bool("q", false, "no progress on stderr (also with -json)")
	verbose := fl.Bool("v", false, "report every training step on stderr (default: every 100th)")
	maxMem := addMemoryFlag(fl)
	if done, err := parseFlags(fl, args); done {
		return err
	}
	// Everything that can be refused is refused before training.
	if err := checkOutput("save", *save); err != nil {
		return err
	}
	if *evalSeqs < 1 || *batch < 1 || *steps < 1 || *facts < 2 || *dim < 2 || *dim%2 != 0 {
		return fmt.Errorf("--eval %d, --batch %d, --steps %d, --facts %d, --dim %d; accepted: eval, batch, steps ≥ 1, facts ≥ 2, dim even and ≥ 2", *evalSeqs, *batch, *steps, *facts, *dim)
	}
	if *junk < 0 {
		return fmt.Errorf("--junk %d; accepted: ≥ 1, or 0 for the --task preset's", *junk)
	}
	task, err := transformer.TaskByName(*taskName, *facts)
	if err != nil {
		return fmt.Errorf("--task: %w", err)
	}
	if *junk > 0 {
		task.Junk = *junk
	}
	if *load == "" {
		if err := checkMemory(*maxMem, resources.SSFR(*facts, *dim, *hidden, *batch, *evalSeqs, task.SeqLen(), task.Vocab())); err != nil {
			return err
		}
	}
	ab, ok := ablationNames[*ablation]
	if !ok {
		return fmt.Errorf("unknown --ablation %q; accepted: none, residuals, vo, embeddings, norm", *ablation)
	}
	mm, err := ssfrMethod(*methodName, *whiten)
	if err != nil {
		return err
	}
	if *capacityMode {
		if *load != "" || *save != "" {
			return fmt.Errorf("--capacity trains many Transformers; it takes neither --load nor --save")
		}
		cfg := transformer.RunConfig{Facts: factset.Spec{Family: *family, N: *facts, Dim: *dim, Seed: *seed}, Method: *methodName,
			Seed: *seed, Task: task, Ablation: ab, EvalSeqs: *evalSeqs, RoPEBase: *ropeBase}
		if *whiten != 0 {
			cfg.MLP = mm // a named method alone shares its cache entries with the notebooks
		}
		return ssfrCapacity(w, ssfrCapacityArgs{
			cfg:   cfg,
			steps: *steps, batch: *batch, lr: *lr, threshold: *threshold, maxHidden: *maxHidden, cacheDir: *cacheDir,
			asJSON: *asJSON, quiet: *quiet})
	}
	start := time.Now()
	var out struct {
		TrainAccuracy        float64 `json:"train_accuracy"`
		FactAdaptiveAccuracy float64 `json:"fact_adaptive_accuracy"`
		Steps                int     `json:"steps"`
		Lipschitz            float64 `json:"lipschitz"`
		Seconds              float64 `json:"seconds"`
	}
	var res *transformer.RunResult
	if *load != "" {
		var m *transformer.Model
		if m, err = transformer.Load(*load); err == nil {
			res, err = transformer.EvaluateTrained(m, m.FactSet(), mm, m.MLP.Hidden(), *evalSeqs, *seed)
		}
	} else {
		opt := transformer.DefaultTrainOptions()
		opt.Steps, opt.Batch, opt.LR, opt.Seed = *steps, *batch, *lr, *seed
		if !*quiet && (!*asJSON || *verbose) {
			opt.Progress = func(done, total int, note string) {
				if *verbose || done%100 == 0 || done == total {
					fmt.Fprintf(errOut, "step %d/%d %s\n", done, total, note)
				}
			}
		}
		res, err = transformer.Run(transformer.RunConfig{
			Facts:  factset.Spec{Family: *family, N: *facts, Dim: *dim, Seed: *seed},
			Method: *methodName, MLP: mm, Hidden: *hidden, Seed: *seed, Task: task, Ablation: ab, Train: opt, EvalSeqs: *evalSeqs, RoPEBase: *ropeBase,
		})
	}
	if err != nil && *hidden == 0 && *load == "" && (method.IsWidthError(err) || strings.Contains(err.Error(), "does not store the facts")) {
		return fmt.Errorf("%w; the default width of --method %s does not store these %d facts in dimension %d for --seed %d; give a larger --hidden or another --seed", err, *methodName, *facts, *dim, *seed)
	}
	if err != nil {
		return err
	}
	if *save != "" {
		if err := res.Model.Save(*save); err != nil {
			return err
		}
	}
	out.TrainAccuracy, out.FactAdaptiveAccuracy = res.Recall.Accuracy, res.FactAdaptive.Accuracy
	out.Steps, out.Lipschitz, out.Seconds = res.Train.Steps, res.Lipschitz.RawMax, time.Since(start).Seconds()
	if *asJSON {
		return writeJSON(w, out)
	}
	tot, tr := res.Model.Params()
	fmt.Fprintf(w, "MLP %s: hidden %d, %d parameters; Transformer %d weights, %d trainable (%s)\n",
		res.Method, res.Hidden, res.MLPParams, tot, tr, res.Model.Cfg.Ablation.Name())
	fmt.Fprintf(w, "training: %d steps in %.1fs (%.0f sequences/s)\n", res.Train.Steps, res.Train.Seconds, res.Train.SeqsPerSecond)
	fmt.Fprintf(w, "recall with its MLP:     %v\n", res.Recall)
	fmt.Fprintf(w, "fact-adaptive (swapped): %v\n", res.FactAdaptive)
	fmt.Fprintf(w, "MLP Lipschitz at the keys: max ‖J(k)‖₂ %.3g (mean %.3g); relative to ‖f(k)‖ max %.3g, empirical %.3g\n",
		res.Lipschitz.RawMax, res.Lipschitz.RawMean, res.Lipschitz.Max, res.Lipschitz.Empirical)
	fmt.Fprintf(w, "total %.1fs\n", out.Seconds)
	return nil
}

// ssfrMethod is the named fact-MLP method as the Transformer uses it (ReLU
// gate), whitened with strength alpha when alpha ≠ 0.
func ssfrMethod(name string, alpha float64) (method.Method, error) {
	if alpha == 0 {
		return transformer.MLPMethod(name)
	}
	e, err := method.Lookup(name)
	if err != nil {
		return nil, err
	}
	s := method.Settings{Whiten: alpha}
	if u := e.Unused(s); len(u) > 0 {
		return nil, fmt.Errorf("--whiten does not apply to --method %s; it applies to %s", e.Name, strings.Join(method.TakenBy(method.SetWhiten), ", "))
	}
	return e.New(s)
}

type ssfrCapacityArgs struct {
	cfg           transformer.RunConfig
	steps, batch  int
	lr, threshold float64
	maxHidden     int
	cacheDir      string
	asJSON, quiet bool
}

// ssfrCapacity runs transformer.TransformerCapacity for one fact set and
// prints its result (JSON: the CapacityResult fields).
func ssfrCapacity(w io.Writer, a ssfrCapacityArgs) error {
	opt := transformer.DefaultTrainOptions()
	opt.Steps, opt.Batch, opt.LR, opt.Seed = a.steps, a.batch, a.lr, a.cfg.Seed
	a.cfg.Train = opt
	o := transformer.CapacityOptions{Threshold: a.threshold, Hi: a.maxHidden}
	if a.cacheDir != "" {
		o.Cache = &diskcache.Cache{Dir: a.cacheDir}
	}
	if !a.quiet {
		o.Progress = func(_, _ int, note string) { fmt.Fprintln(errOut, note) }
	}
	start := time.Now()
	r, err := transformer.TransformerCapacity(a.cfg, o)
	if err != nil {
		return err
	}
	if a.asJSON {
		type trial struct {
			Hidden       int     `json:"hidden"`
			Params       int     `json:"params"`
			Recall       float64 `json:"recall"`
			FactAdaptive float64 `json:"fact_adaptive_accuracy"`
			Steps        int     `json:"steps"`
			Passed       bool    `json:"passed"`
			Note         string  `json:"note,omitempty"`
		}
		out := struct {
			Method           string   `json:"method"`
			Facts            int      `json:"facts"`
			Dim              int      `json:"dim"`
			Seed             uint64   `json:"seed"`
			Task             string   `json:"task"`
			Threshold        float64  `json:"threshold"`
			StandaloneHidden *int     `json:"standalone_hidden"`
			StandaloneParams *int     `json:"standalone_params"`
			MinHidden        *int     `json:"min_hidden"`
			MinParams        *int     `json:"min_params"`
			Recall           *float64 `json:"recall"`
			FactAdaptive     *float64 `json:"fact_adaptive_accuracy"`
			Trials           []trial  `json:"trials"`
			Seconds          float64  `json:"seconds"`
		}{Method: r.Method, Facts: r.Facts, Dim: r.Dim, Seed: r.Seed, Task: a.cfg.Task.Name(), Threshold: r.Threshold,
			Trials: []trial{}, Seconds: time.Since(start).Seconds()}
		if r.StandaloneHidden > 0 {
			out.StandaloneHidden, out.StandaloneParams = &r.StandaloneHidden, &r.StandaloneParams
		}
		if r.MinHidden > 0 {
			out.MinHidden, out.MinParams, out.Recall, out.FactAdaptive = &r.MinHidden, &r.MinParams, &r.Recall, &r.FactAdaptive
		}
		for _, t := range r.Trials {
			out.Trials = append(out.Trials, trial{t.Hidden, t.Params, t.Recall, t.FactAdaptive, t.Steps, t.Passed, t.Note})
		}
		return writeJSON(w, out)
	}
	fmt.Fprintf(w, "%s, F=%d, d=%d, seed %d, task %s: standalone min hidden %d (%d params); in the Transformer (fact-adaptive ≥ %g) min hidden %d (%d params), fact-adaptive %.4f, recall %.4f; %d trials, %.1fs\n",
		r.Method, r.Facts, r.Dim, r.Seed, a.cfg.Task.Name(), r.StandaloneHidden, r.StandaloneParams, r.Threshold, r.MinHidden, r.MinParams, r.FactAdaptive, r.Recall, len(r.Trials), time.Since(start).Seconds())
	return nil
}
