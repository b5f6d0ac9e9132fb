package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/factmlp/factmlp/factmlp/capacity"
)

func init() {
	register(command{name: "sweep", summary: "run a capacity sweep from a JSON config; write every point as CSV and JSON", run: runSweep})
}

const sweepExample = `{"methods": ["gd", "encdec", "ntk"], "facts": [64, 128, 256], "dims": [32],
 "families": [{"family": "spherical"}, {"family": "conditioned", "kappa": 4}], "seeds": [1],
 "gd": {"epochs": 2000, "lr": 0.01}, "max_facts_per_dim2": {"ntk": 0.25}}`

func runSweep(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fl.SetOutput(w)
	cfgPath := fl.String("config", "", "sweep config FILE.json, e.g. "+sweepExample)
	out := fl.String("out", "", "output DIR: points.csv, points.json, points/*.json, fits.txt, cache/ (resumes)")
	quiet := fl.Bool("q", false, "no progress on stderr")
	if done, err := parseFlags(fl, args); done {
		return err
	}
	if *cfgPath == "" || *out == "" {
		return errors.New("--config FILE and --out DIR are both required")
	}
	cfg, err := capacity.LoadConfig(*cfgPath)
	if err != nil {
		return err
	}
	opts := capacity.SweepOptions{Out: *out}
	if !*quiet {
		opts.Progress = func(done, total int, note string) { fmt.Fprintf(os.Stderr, "[%d/%d] %s\n", done, total, note) }
	}
	recs, err := capacity.Sweep(cfg, opts)
	if err != nil {
		return err
	}
	summary := capacity.Summarize(recs)
	if err := capacity.WriteText(*out, "fits.txt", summary); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d points written to %s\n%s", len(recs), *out, summary)
	return nil
}
