// Command nbrun executes factmlp's GoNB notebooks headless through Jupyter
// (jupyter nbconvert --execute) and checks them.
//
//	nbrun [-scale fast] [-out out/fast] [-check] [notebook.ipynb ...]
//
// With no notebooks it runs every notebooks/*.ipynb (sorted). For each it
// writes the executed notebook to <out>/<name>.ipynb, the figures that
// kernelext.ShowPlot saved to <out>/figures/<name>/ (SVG and PNG), and
// Jupyter's log to <out>/logs/<name>.log, then prints one line:
//
//	00_getting_started   14.2s  ok      figures 1/1  cells 5 (median 1.9s, slowest 4.1s)
//
// A notebook fails when Jupyter fails, when any cell has an error output or
// a Go panic on stderr, or (with -check) when it shows fewer figures than
// its metadata promises ({"factmlp": {"figures": N}}) or shows a figure that
// plots.Check finds fault with (no axis label, no data, legend over data, ...).
// Notebooks run with FACTMLP_HEADLESS=1: widgets show their initial view.
// -jobs N runs N notebooks at a time (each with its own kernel; the lines
// still print in notebook order, and each line's seconds are that
// notebook's own wall time, longer when it shares the cores). With
// -longest-first FILE (JSON {"<scale>": {"<name>": seconds}}, e.g.
// scripts/notebook-seconds.json) they start in decreasing order of those
// seconds, notebooks it does not list last, so the long ones do not start
// at the end; a stale file changes only the start order. The exit status is 1
// if any notebook failed, 2 for bad usage.
//
// With -record DIR, the text of every output of each notebook that passed is
// written to DIR/<name>.txt (make notebooks records the fast run in
// results/fast/; the README's results table and every notebook's markdown
// are checked against it).
// `nbrun -record DIR -executed out/fast/NAME.ipynb ...` records notebooks
// already executed, without running them.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/factmlp/factmlp/kernelext/contract"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	scale       string
	out         string
	check       bool
	cellTimeout time.Duration
	nbTimeout   time.Duration
	jupyter     string
	freshCache  bool
	record      string
	executed    bool
	jobs        int
	longest     string // -longest-first FILE
	seconds     map[string]float64
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nbrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.scale, "scale", contract.DefaultScale, contract.ScaleEnv+" for the notebooks: "+strings.Join(contract.Scales, ", "))
	fs.StringVar(&o.out, "out", "", "output folder (default out/<scale>)")
	fs.BoolVar(&o.check, "check", false, "also fail notebooks that show fewer figures than they promise")
	fs.DurationVar(&o.cellTimeout, "cell-timeout", 20*time.Minute, "time limit per cell")
	fs.DurationVar(&o.nbTimeout, "timeout", 2*time.Hour, "time limit per notebook")
	fs.StringVar(&o.jupyter, "jupyter", "jupyter", "jupyter executable")
	fs.BoolVar(&o.freshCache, "fresh-cache", false, "give the notebooks an empty result cache (<out>/cache), so nothing is served from earlier runs")
	fs.StringVar(&o.record, "record", "", "write the output text of each notebook that passed to `DIR`/<name>.txt (results/fast for the README check)")
	fs.IntVar(&o.jobs, "jobs", 1, "notebooks run at the same time (each has its own kernel); lines still print in notebook order")
	fs.StringVar(&o.longest, "longest-first", "", "start notebooks in decreasing order of the seconds `FILE` records for this scale (JSON {scale: {name: seconds}}); lines still print in notebook order")
	fs.BoolVar(&o.executed, "executed", false, "with -record: the arguments are executed notebooks; record them without running anything")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.executed {
		return recordExecuted(o.record, fs.Args(), stdout, stderr)
	}
	if err := contract.CheckScale(o.scale); err != nil {
		fmt.Fprintf(stderr, "nbrun: -scale: %v\n", err)
		return 2
	}
	if o.jobs < 1 {
		fmt.Fprintf(stderr, "nbrun: -jobs %d: want 1 or more notebooks at a time\n", o.jobs)
		return 2
	}
	if o.out == "" {
		o.out = filepath.Join("out", o.scale)
	}
	if o.longest != "" {
		var err error
		if o.seconds, err = readSeconds(o.longest, o.scale); err != nil {
			fmt.Fprintf(stderr, "nbrun: -longest-first: %v\n", err)
			return 2
		}
	}
	nbs := fs.Args()
	if len(nbs) == 0 {
		var err error
		nbs, err = filepath.Glob(filepath.Join("notebooks", "*.ipynb"))
		if err != nil || len(nbs) == 0 {
			fmt.Fprintln(stderr, "nbrun: no notebooks given and none match notebooks/*.ipynb (run from the repository root)")
			return 2
		}
		sort.Strings(nbs)
	}
	out, err := filepath.Abs(o.out)
	if err != nil {
		fmt.Fprintln(stderr, "nbrun:", err)
		return 2
	}
	o.out = out
	for _, d := range []string{o.out, filepath.Join(o.out, "logs"), filepath.Join(o.out, "figures")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			fmt.Fprintln(stderr, "nbrun:", err)
			return 2
		}
	}
	fmt.Fprintf(stdout, "nbrun: %d notebook(s) at scale %s -> %s\n", len(nbs), o.scale, o.out)
	failed := 0
	var summary strings.Builder
	for r := range runAll(nbs, o) {
		line := r.Line(o.check)
		fmt.Fprintln(stdout, line)
		summary.WriteString(line + "\n")
		if o.record != "" && r.OK(o.check) {
			if err := record(o.record, r.Name, filepath.Join(o.out, r.Name+".ipynb")); err != nil {
				fmt.Fprintf(stderr, "nbrun: -record: %v\n", err)
				failed++
			}
		}
		if !r.OK(o.check) {
			failed++
			for _, e := range r.Problems(o.check) {
				fmt.Fprintf(stdout, "    %s\n", e)
			}
			fmt.Fprintf(stdout, "    log: %s\n", r.LogPath)
		}
	}
	_ = os.WriteFile(filepath.Join(o.out, "summary.txt"), []byte(summary.String()), 0o644)
	if failed > 0 {
		fmt.Fprintf(stdout, "nbrun: %d of %d notebook(s) failed\n", failed, len(nbs))
		return 1
	}
	fmt.Fprintf(stdout, "nbrun: all %d notebook(s) ok\n", len(nbs))
	return 0
}

// runAll runs the notebooks, o.jobs at a time, and yields their results in
// the order given.
func runAll(nbs []string, o options) iter.Seq[result] {
	return func(yield func(result) bool) {
		done := make([]chan result, len(nbs))
		for i := range done {
			done[i] = make(chan result, 1)
		}
		slots := make(chan struct{}, o.jobs)
		go func() {
			for _, i := range startOrder(nbs, o.seconds) {
				nb := nbs[i]
				slots <- struct{}{}
				go func() {
					defer func() { <-slots }()
					done[i] <- runOne(nb, o)
				}()
			}
		}()
		for _, d := range done {
			if !yield(<-d) {
				return
			}
		}
	}
}

// startOrder is the order to start nbs in: by decreasing seconds where
// seconds (by notebook name) knows them, the others after, as given.
func startOrder(nbs []string, seconds map[string]float64) []int {
	order := make([]int, len(nbs))
	for i := range order {
		order[i] = i
	}
	sec := func(i int) float64 {
		if s, ok := seconds[strings.TrimSuffix(filepath.Base(nbs[i]), ".ipynb")]; ok {
			return s
		}
		return -1
	}
	sort.SliceStable(order, func(a, b int) bool { return sec(order[a]) > sec(order[b]) })
	return order
}

// readSeconds reads scale's notebook seconds from a JSON file
// {"<scale>": {"<name>": seconds}}; a scale it does not list gives none.
func readSeconds(path, scale string) (map[string]float64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var all map[string]map[string]float64
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, fmt.Errorf("%s: %v; want JSON {\"<scale>\": {\"<notebook name>\": seconds}}", path, err)
	}
	return all[scale], nil
}

// result of running one notebook.
type result struct {
	Name     string
	Seconds  float64
	RunErr   error
	LogPath  string
	Analysis Analysis
	Saved    int // figure files written to the figures folder
}

func (r result) OK(check bool) bool { return len(r.Problems(check)) == 0 }

func (r result) Problems(check bool) []string {
	var p []string
	if r.RunErr != nil {
		p = append(p, "jupyter: "+r.RunErr.Error())
	}
	p = append(p, r.Analysis.Errors...)
	if check && r.Analysis.Figures < r.Analysis.Promised {
		p = append(p, fmt.Sprintf("shows %d figure(s) but its metadata promises %d", r.Analysis.Figures, r.Analysis.Promised))
	}
	if check {
		p = append(p, r.Analysis.FigureProblems...)
	}
	return p
}

func (r result) Line(check bool) string {
	status := "ok"
	if !r.OK(check) {
		status = "failed"
	}
	a := r.Analysis
	return fmt.Sprintf("%-36s %7.1fs  %-6s  figures %d/%d  cells %d (median %.1fs, slowest %.1fs)",
		r.Name, r.Seconds, status, a.Figures, a.Promised, a.CodeCells, a.MedianCell, a.SlowestCell)
}

func runOne(nbPath string, o options) result {
	name := strings.TrimSuffix(filepath.Base(nbPath), ".ipynb")
	r := result{Name: name, LogPath: filepath.Join(o.out, "logs", name+".log")}
	figDir := filepath.Join(o.out, "figures", name)
	_ = os.RemoveAll(figDir)
	outNb := filepath.Join(o.out, name+".ipynb")
	_ = os.Remove(outNb)

	ctx, cancel := context.WithTimeout(context.Background(), o.nbTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, o.jupyter, "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(o.cellTimeout.Seconds())),
		"--ExecutePreprocessor.startup_timeout=300",
		"--output-dir", o.out, "--output", name, nbPath)
	env := os.Environ()
	env = append(env, contract.ScaleEnv+"="+o.scale, contract.FiguresDirEnv+"="+figDir, contract.HeadlessEnv+"=1")
	if o.freshCache {
		env = append(env, contract.CacheDirEnv+"="+filepath.Join(o.out, "cache"))
	}
	cmd.Env = env
	logf, err := os.Create(r.LogPath)
	if err != nil {
		r.RunErr = err
		return r
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	start := time.Now()
	err = cmd.Run()
	r.Seconds = time.Since(start).Seconds()
	if ctx.Err() != nil {
		err = fmt.Errorf("notebook took longer than %s (-timeout)", o.nbTimeout)
	}
	if err != nil {
		r.RunErr = fmt.Errorf("%v (see log)", err)
	}
	data, rerr := os.ReadFile(outNb)
	if rerr != nil {
		if r.RunErr == nil {
			r.RunErr = fmt.Errorf("no executed notebook written: %v", rerr)
		}
		// Still read the promise from the source notebook.
		if src, err := os.ReadFile(nbPath); err == nil {
			if a, err := Analyze(src); err == nil {
				r.Analysis.Promised = a.Promised
			}
		}
		return r
	}
	a, err := Analyze(data)
	if err != nil && r.RunErr == nil {
		r.RunErr = err
	}
	r.Analysis = a
	ents, _ := os.ReadDir(figDir)
	r.Saved = len(ents)
	return r
}

var errNotNotebook = errors.New("not a Jupyter notebook")

// recordExecuted records already-executed notebooks (-record DIR -executed).
func recordExecuted(dir string, nbs []string, stdout, stderr io.Writer) int {
	if dir == "" || len(nbs) == 0 {
		fmt.Fprintln(stderr, "nbrun: -executed needs -record DIR and at least one executed notebook (.ipynb)")
		return 2
	}
	for _, nb := range nbs {
		name := strings.TrimSuffix(filepath.Base(nb), ".ipynb")
		if err := record(dir, name, nb); err != nil {
			fmt.Fprintf(stderr, "nbrun: record %s: %v\n", nb, err)
			return 1
		}
		fmt.Fprintf(stdout, "nbrun: recorded %s -> %s\n", nb, filepath.Join(dir, name+".txt"))
	}
	return 0
}
