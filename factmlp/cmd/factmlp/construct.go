package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/resources"
	"github.com/factmlp/factmlp/factmlp/training"
)

func init() {
	register(command{name: "construct", summary: "build a fact-storing MLP (" + strings.Join(method.Names(), " | ") + "), verify it, save it", run: runConstruct})
}

// constructJSON is the --json output of factmlp construct.
type constructJSON struct {
	Method              string  `json:"method"`
	Facts               int     `json:"facts"`
	Values              int     `json:"values"`
	Dim                 int     `json:"dim"`
	Hidden              int     `json:"hidden"`
	CodeDim             *int    `json:"code_dim"` // null for methods without a code (ntk, gd, ...)
	Params              int     `json:"params"`
	ParamsWithoutSeeded int     `json:"params_without_seeded"`
	Accuracy            float64 `json:"accuracy"`
	MinMargin           float64 `json:"min_margin"`
	Rho                 float64 `json:"rho"`
	Seconds             float64 `json:"seconds"`
}

func runConstruct(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("construct", flag.ContinueOnError)
	ff := addFactSetFlags(fl)
	methodName := fl.String("method", "encdec", "how the MLP is built: "+methodList())
	hidden := fl.Int("hidden", 0, "hidden width h (default: the smallest that stores the facts; for methods that train: the method's default width, encdec-gd 2·m·⌈|K|/d⌉)")
	codeDim := fl.Int("code-dim", 0, "code dimension m of "+strings.Join(method.TakenBy(method.SetCodeDim), ", ")+" (default: the smallest that decodes)")
	methodSeed := fl.Uint64("method-seed", 0, "seed of the construction's random draws (default --seed)")
	actName := fl.String("act", "", "gate activation identity|relu|silu (default: the method's; relu for the constructions; encdec needs relu or silu)")
	maxHidden := fl.Int("max-hidden", 1<<16, "largest hidden width the smallest-width search tries")
	epochs := fl.Int("epochs", 0, "epoch budget of "+strings.Join(method.TakenBy(method.SetTrain), ", ")+" (default: training's default)")
	out := fl.String("out", "", "write the MLP to FILE.safetensors (tensors gate, up, down; float64)")
	asJSON := fl.Bool("json", false, `print {"method","facts","values","dim","hidden","code_dim","params","params_without_seeded","accuracy","min_margin","rho","seconds"} as JSON`)
	verbose := fl.Bool("v", false, "report progress on stderr")
	fl.Bool("q", false, "no progress on stderr (the default here; see -v)")
	maxMem := addMemoryFlag(fl)
	if done, err := parseFlags(fl, args); done {
		return err
	}
	if err := checkOutput("out", *out); err != nil {
		return err
	}
	if err := checkMemory(*maxMem, ff.construct(*hidden)); err != nil {
		return err
	}
	if *hidden < 0 || *codeDim < 0 {
		return fmt.Errorf("--hidden and --code-dim must be ≥ 0 (0 = smallest), got %d and %d", *hidden, *codeDim)
	}
	entry, err := method.Lookup(*methodName)
	if err != nil {
		return err
	}
	var act mlp.Activation
	if *actName != "" {
		if act, err = mlp.ParseActivation(*actName); err != nil {
			return err
		}
	}
	seed := *methodSeed
	if seed == 0 {
		seed = ff.seed
	}
	fs, desc, err := ff.build()
	if err != nil {
		return err
	}
	if ff.values != "" { // sizes known only now
		if err := checkMemory(*maxMem, resources.Construct(fs.NumFacts(), fs.NumValues(), fs.Dim(), cmp.Or(*hidden, 2*fs.NumFacts()))); err != nil {
			return err
		}
	}
	var progressFn func(done, total int, note string)
	if *verbose {
		progressFn = func(done, total int, note string) { fmt.Fprintf(errOut, "construct: %d/%d %s\n", done, total, note) }
	}
	start := time.Now()
	sep, err := construction.ComputeSeparators(fs)
	if err != nil {
		return err
	}
	settings := method.Settings{Act: act, CodeDim: *codeDim, Train: training.Options{Epochs: *epochs}, NoRefine: true, Separators: sep, Progress: progressFn}
	if err := checkSettings(entry, settings, map[method.Setting]string{method.SetTrain: "epochs"}); err != nil {
		return err
	}
	m, err := entry.New(settings)
	if err != nil {
		return err
	}
	b, err := m.Prepare(fs, seed)
	if err != nil {
		return err
	}
	var g *mlp.Gated
	var rep mlp.Report
	if *hidden == 0 && !entry.Trains {
		// A closed-form MLP is cheap: search the smallest that stores, up
		// from h = d (the encoder–decoder searches its own m·u instead).
		var mn *method.Minimal
		if mn, err = method.Smallest(b, method.SmallestOptions{Start: fs.Dim(), Max: *maxHidden, Progress: progressFn}); err == nil {
			g, rep = mn.MLP, mn.Report
		}
	} else {
		g, rep, err = b.Build(*hidden)
	}
	if err != nil {
		return err
	}
	if !rep.Stores() {
		return fmt.Errorf("%s MLP with hidden width %d does not store the facts: %v", entry.Name, g.Hidden(), rep)
	}
	secs := time.Since(start).Seconds()
	if *out != "" {
		if err := mlp.SaveFile(*out, g, fs, map[string]string{"factset": desc, "rho": fmt.Sprint(sep.Rho)}); err != nil {
			return err
		}
	}
	res := constructJSON{Method: entry.Name, Facts: fs.NumFacts(), Values: fs.NumValues(), Dim: fs.Dim(),
		Hidden: g.Hidden(), CodeDim: nonZero(g.CodeDim), Params: g.Params(), ParamsWithoutSeeded: g.ParamsWithoutSeeded(),
		Accuracy: rep.Accuracy, MinMargin: rep.MinMargin, Rho: sep.Rho, Seconds: secs}
	if *asJSON {
		return writeJSON(w, res)
	}
	fmt.Fprintf(w, "%s on %s (ρ = %.4g)\n", entry.Name, desc, sep.Rho)
	code := "no code"
	if res.CodeDim != nil {
		code = fmt.Sprintf("code dim %d", *res.CodeDim)
	}
	fmt.Fprintf(w, "hidden %d, %s, params %d (without seeded tensors %d), %.3f facts/param\n",
		res.Hidden, code, res.Params, res.ParamsWithoutSeeded, float64(res.Facts)/float64(res.Params))
	fmt.Fprintf(w, "verified: %v; %.2fs\n", rep, secs)
	if *out != "" {
		fmt.Fprintf(w, "wrote %s\n", *out)
	}
	return nil
}

// methodList lists the registered methods with their one-line summaries.
func methodList() string {
	var parts []string
	for _, n := range method.Names() {
		e, _ := method.Lookup(n)
		parts = append(parts, fmt.Sprintf("%s (%s)", n, e.Summary))
	}
	return strings.Join(parts, ", ")
}

// checkSettings refuses a flag the method does not take, naming the methods
// that do; flags maps a setting to its flag where the names differ.
func checkSettings(e method.Entry, s method.Settings, flags map[method.Setting]string) error {
	for _, x := range e.Unused(s) {
		name := string(x)
		if f, ok := flags[x]; ok {
			name = f
		}
		return fmt.Errorf("--%s does not apply to --method %s; it applies to %s", name, e.Name, strings.Join(method.TakenBy(x), ", "))
	}
	return nil
}

// nonZero is &n, or nil (JSON null) when n is 0, the "none" of a count.
func nonZero(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}
