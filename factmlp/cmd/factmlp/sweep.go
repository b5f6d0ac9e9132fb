package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	cfgPath := fl.String("config", "", "sweep config FILE.json, e.g. "+sweepExample)
	out := fl.String("out", "", "output DIR: points.csv, points.json, points/*.json, fits.txt, cache/ (resumes)")
	quiet := fl.Bool("q", false, "no progress on stderr")
	verbose := fl.Bool("v", false, "also report every trial on stderr")
	shardSpec := fl.String("shard", "", "run one shard of the grid: i/n (0 ≤ i < n), env/n or env (i from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, n from SLURM_ARRAY_TASK_COUNT); writes DIR/shards/i-of-n/, shares DIR/cache")
	oneAtATime := fl.Bool("one-at-a-time", false, "measure gd's seeds one after another (default: side by side, equal widths trained in one graph; the same results)")
	merge := fl.Bool("merge", false, "merge DIR/shards/*-of-n/ (every shard done) into DIR: the files one unsharded run writes")
	if done, err := parseFlags(fl, args); done {
		return err
	}
	if *cfgPath == "" || *out == "" {
		return errors.New("--config FILE and --out DIR are both required")
	}
	if st, err := os.Stat(*out); err == nil && !st.IsDir() {
		return fmt.Errorf("--out %s is not a folder; give the folder the sweep writes into (made if missing)", *out)
	}
	cfg, err := capacity.LoadConfig(*cfgPath)
	if err != nil {
		return err
	}
	shard, err := capacity.ParseShard(*shardSpec, os.Getenv)
	if err != nil {
		return err
	}
	if *merge && !shard.Whole() {
		return errors.New("--merge combines all shards; drop --shard")
	}
	dir := shard.Dir(*out)
	opts := capacity.SweepOptions{Out: dir, Shard: shard, OneAtATime: *oneAtATime, Cache: &capacity.Cache{Dir: filepath.Join(*out, "cache"), Warn: func(m string) { fmt.Fprintln(errOut, m) }}}
	if !*quiet {
		opts.Progress = func(done, total int, note string) { fmt.Fprintf(errOut, "[%d/%d] %s\n", done, total, note) }
		if *verbose {
			opts.Trial = func(done, _ int, note string) { fmt.Fprintf(errOut, "  trial %d: %s\n", done, note) }
		}
	}
	var recs []capacity.Record
	if *merge {
		recs, err = capacity.Merge(cfg, *out)
	} else {
		recs, err = capacity.Sweep(cfg, opts)
	}
	if err != nil {
		return err
	}
	summary := capacity.Summarize(recs)
	if err := capacity.WriteText(dir, "fits.txt", summary); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d points written to %s\n%s", len(recs), dir, summary)
	return nil
}
