package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/training"
)

func init() {
	register(command{name: "construct", summary: "build a fact-storing MLP (encdec | encdec-gd | ntk), verify it, save it", run: runConstruct})
}

// constructJSON is the --json output of factmlp construct.
type constructJSON struct {
	Method              string  `json:"method"`
	Facts               int     `json:"facts"`
	Values              int     `json:"values"`
	Dim                 int     `json:"dim"`
	Hidden              int     `json:"hidden"`
	CodeDim             int     `json:"code_dim"`
	Params              int     `json:"params"`
	ParamsWithoutSeeded int     `json:"params_without_seeded"`
	Accuracy            float64 `json:"accuracy"`
	MinMargin           float64 `json:"min_margin"`
	Rho                 float64 `json:"rho"`
	Seconds             float64 `json:"seconds"`
}

func runConstruct(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("construct", flag.ContinueOnError)
	fl.SetOutput(w)
	ff := addFactSetFlags(fl)
	method := fl.String("method", "encdec", "construction: encdec (closed form), encdec-gd (decoder fixed, encoder trained by GD) or ntk (Nichani et al. baseline)")
	hidden := fl.Int("hidden", 0, "hidden width h (default: the smallest that stores the facts; encdec-gd: 2·m·⌈|K|/d⌉)")
	codeDim := fl.Int("code-dim", 0, "code dimension m for encdec/encdec-gd (default: the smallest that decodes)")
	methodSeed := fl.Uint64("method-seed", 0, "seed of the construction's random draws (default --seed)")
	actName := fl.String("act", "relu", "gate activation: relu|silu (encdec, ntk); identity|relu|silu (encdec-gd)")
	maxHidden := fl.Int("max-hidden", 1<<16, "largest hidden width the ntk search tries")
	epochs := fl.Int("epochs", 0, "encdec-gd: epoch budget (default: training's default)")
	out := fl.String("out", "", "write the MLP to FILE.safetensors (tensors gate, up, down; float64)")
	asJSON := fl.Bool("json", false, `print {"method","facts","values","dim","hidden","code_dim","params","params_without_seeded","accuracy","min_margin","rho","seconds"} as JSON`)
	verbose := fl.Bool("v", false, "report progress on stderr")
	if done, err := parseFlags(fl, args); done {
		return err
	}
	if *hidden < 0 || *codeDim < 0 {
		return fmt.Errorf("--hidden and --code-dim must be ≥ 0 (0 = smallest), got %d and %d", *hidden, *codeDim)
	}
	act, err := mlp.ParseActivation(*actName)
	if err != nil {
		return err
	}
	seed := *methodSeed
	if seed == 0 {
		seed = ff.seed
	}
	fs, desc, err := ff.build()
	if err != nil {
		return err
	}
	var progressFn func(done, total int, note string)
	if *verbose {
		progressFn = func(done, total int, note string) { fmt.Fprintf(os.Stderr, "construct: %d/%d %s\n", done, total, note) }
	}
	start := time.Now()
	sep, err := construction.ComputeSeparators(fs)
	if err != nil {
		return err
	}
	var g *mlp.Gated
	var rep mlp.Report
	switch *method {
	case "encdec":
		if *hidden > 0 {
			var info *construction.Info
			g, info, err = construction.EncDec(fs, construction.Options{Seed: seed, Act: act, CodeDim: *codeDim, Hidden: *hidden, Separators: sep, Progress: progressFn})
			if err == nil {
				rep = info.Report
			}
		} else if *codeDim > 0 {
			var info *construction.Info
			g, info, err = construction.EncDec(fs, construction.Options{Seed: seed, Act: act, CodeDim: *codeDim, Units: (fs.NumFacts() + fs.Dim() - 1) / fs.Dim(), Separators: sep, Progress: progressFn})
			if err != nil { // the square system can be singular; retry with slack
				g, info, err = construction.EncDec(fs, construction.Options{Seed: seed, Act: act, CodeDim: *codeDim, Separators: sep, Progress: progressFn})
			}
			if err == nil {
				rep = info.Report
			}
		} else {
			var mn *construction.Minimal
			mn, err = construction.MinimalWidth(fs, "encdec", construction.MinimalOptions{Seed: seed, Act: act, Separators: sep, Progress: progressFn})
			if err == nil {
				g, rep = mn.MLP, mn.Info.Report
			}
		}
	case "ntk":
		if *codeDim > 0 {
			return errors.New("--code-dim applies to encdec and encdec-gd; ntk has no code")
		}
		if *hidden > 0 {
			var info *construction.Info
			g, info, err = construction.NTK(fs, *hidden, construction.NTKOptions{Seed: seed, Act: act})
			if info != nil {
				rep = info.Report
			}
		} else {
			var mn *construction.Minimal
			mn, err = construction.MinimalWidth(fs, "ntk", construction.MinimalOptions{Seed: seed, Act: act, MaxHidden: *maxHidden, Progress: progressFn})
			if err == nil {
				g, rep = mn.MLP, mn.Info.Report
			}
		}
	case "encdec-gd":
		g, rep, err = constructEncDecGD(fs, sep, seed, act, *hidden, *codeDim, *epochs, progressFn)
	default:
		return fmt.Errorf("unknown --method %q; accepted: encdec, encdec-gd, ntk", *method)
	}
	if err != nil {
		return err
	}
	if !rep.Stores() {
		return fmt.Errorf("%s MLP with hidden width %d does not store the facts: %v", *method, g.Hidden(), rep)
	}
	secs := time.Since(start).Seconds()
	if *out != "" {
		if err := mlp.SaveFile(*out, g, fs, map[string]string{"factset": desc, "rho": fmt.Sprint(sep.Rho)}); err != nil {
			return err
		}
	}
	res := constructJSON{Method: *method, Facts: fs.NumFacts(), Values: fs.NumValues(), Dim: fs.Dim(),
		Hidden: g.Hidden(), CodeDim: g.CodeDim, Params: g.Params(), ParamsWithoutSeeded: g.ParamsWithoutSeeded(),
		Accuracy: rep.Accuracy, MinMargin: rep.MinMargin, Rho: sep.Rho, Seconds: secs}
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(w, "%s on %s (ρ = %.4g)\n", *method, desc, sep.Rho)
	fmt.Fprintf(w, "hidden %d, code dim %d, params %d (without seeded tensors %d), %.3f facts/param\n",
		res.Hidden, res.CodeDim, res.Params, res.ParamsWithoutSeeded, float64(res.Facts)/float64(res.Params))
	fmt.Fprintf(w, "verified: %v; %.2fs\n", rep, secs)
	if *out != "" {
		fmt.Fprintf(w, "wrote %s\n", *out)
	}
	return nil
}

// constructEncDecGD trains the encoder of the encoder–decoder towards the
// codes of the closed-form decoder (package training).
func constructEncDecGD(fs *factset.FactSet, sep *construction.Separators, seed uint64, act mlp.Activation, hidden, codeDim, epochs int, progressFn func(int, int, string)) (*mlp.Gated, mlp.Report, error) {
	var dec *construction.DecoderResult
	var err error
	if codeDim > 0 {
		dec, err = construction.DecoderAt(sep, fs.Values, seed, codeDim, construction.DecoderOptions{NoRefine: true})
	} else {
		dec, err = construction.MinDecoder(sep, fs.Values, seed, construction.DecoderOptions{NoRefine: true})
	}
	if err != nil {
		return nil, mlp.Report{}, err
	}
	if hidden == 0 {
		hidden = 2 * dec.M * ((fs.NumFacts() + fs.Dim() - 1) / fs.Dim())
	}
	res, err := training.EncDecGD(fs, training.EncDecOptions{
		Options: training.Options{Hidden: hidden, Act: act, Seed: seed, Epochs: epochs, Progress: progressFn},
		CodeDim: dec.M, R: dec.R, Codes: dec.Codes})
	if err != nil {
		return nil, mlp.Report{}, err
	}
	return res.MLP, res.Report, nil
}
