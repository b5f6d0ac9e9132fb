package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
	"github.com/factmlp/factmlp/factmlp/resources"
)

// errOut receives usage text, flag errors and progress; runMain points it
// at its stderr, so stdout carries only a command's result (and -json
// output stays clean).
var errOut io.Writer = os.Stderr

// aliases maps, per flag set, a hidden old spelling to its canonical flag
// (kept for one release; see the package doc).
var aliases = map[*flag.FlagSet]map[string]string{}

// alias registers old as a hidden spelling of the flag canonical: both set
// the same value; -h lists only canonical.
func alias(fl *flag.FlagSet, old, canonical string) {
	f := fl.Lookup(canonical)
	if f == nil {
		panic("alias of undefined flag " + canonical) // a programming error, caught by the tests
	}
	fl.Var(f.Value, old, "deprecated spelling of -"+canonical)
	if aliases[fl] == nil {
		aliases[fl] = map[string]string{}
	}
	aliases[fl][old] = canonical
}

// wasSet reports whether the flag name, or a hidden alias of it, was given.
func wasSet(fl *flag.FlagSet, name string) bool {
	set := false
	fl.Visit(func(f *flag.Flag) { set = set || f.Name == name || aliases[fl][f.Name] == name })
	return set
}

// parseFlags parses a subcommand's args with fl, sends usage and errors to
// stderr, rejects positional arguments and checks every numeric flag
// (floats finite and in their range, integers ≥ 0). done is true when the
// caller should return err right away: on a bad flag, on unexpected
// arguments, and (with a nil error, so the exit status is 0) when -h/--help
// asked for the flag list, which has then been printed. Use it as
//
//	if done, err := parseFlags(fl, args); done {
//		return err
//	}
func parseFlags(fl *flag.FlagSet, args []string) (done bool, err error) {
	// The flag package prints its error and the whole usage on a bad flag;
	// keep it quiet and return one line instead (runMain prints it).
	fl.SetOutput(io.Discard)
	fl.Usage = func() {}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(fl)
			return true, nil
		}
		return true, fmt.Errorf("%v (factmlp %s -h lists the flags)", err, fl.Name())
	}
	if fl.NArg() > 0 {
		return true, fmt.Errorf("unexpected arguments %q", fl.Args())
	}
	if err := checkNumbers(fl); err != nil {
		return true, err
	}
	return false, nil
}

// printUsage lists the flags of fl without the hidden aliases.
func printUsage(fl *flag.FlagSet) {
	fmt.Fprintf(errOut, "usage: factmlp %s [flags]\n", fl.Name())
	vis := flag.NewFlagSet(fl.Name(), flag.ContinueOnError)
	vis.SetOutput(errOut)
	fl.VisitAll(func(f *flag.Flag) {
		if _, hidden := aliases[fl][f.Name]; !hidden {
			vis.Var(f.Value, f.Name, f.Usage)
			vis.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	vis.PrintDefaults()
}

// floatRange is the accepted range of a float flag, by name.
type floatRange struct {
	ok       func(float64) bool
	accepted string
}

var floatRanges = map[string]floatRange{
	"rel-tol":    {func(x float64) bool { return x >= 0 && x < 1 }, "in [0, 1)"},
	"whiten":     {func(x float64) bool { return x >= 0 && x <= 1 }, "in [0, 1]"},
	"whiten-eps": {func(x float64) bool { return x > 0 }, "> 0"},
	"kappa":      {func(x float64) bool { return x >= 1 }, "≥ 1"},
	"beta":       {func(x float64) bool { return x >= 0 }, "≥ 0"},
	"spread":     {func(x float64) bool { return x >= 0 }, "≥ 0"},
	"angle":      {func(x float64) bool { return x > 0 && x < 180 }, "in (0, 180) degrees"},
	"fraction":   {func(x float64) bool { return x > 0 && x <= 1 }, "in (0, 1]"},
	"lr":         {func(x float64) bool { return x >= 0 }, "≥ 0 (0: the default where one exists)"},
	"rope-base":  {func(x float64) bool { return x > 1 }, "> 1"},
}

// checkNumbers refuses NaN, infinite and out-of-range floats and negative
// integers in every flag of fl (set or default), naming the flag, the value
// and what is accepted.
func checkNumbers(fl *flag.FlagSet) error {
	var errs []string
	fl.VisitAll(func(f *flag.Flag) {
		if _, hidden := aliases[fl][f.Name]; hidden {
			return
		}
		g, ok := f.Value.(flag.Getter)
		if !ok {
			return
		}
		switch v := g.Get().(type) {
		case float64:
			r, ranged := floatRanges[f.Name]
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				acc := "a finite number"
				if ranged {
					acc += " " + r.accepted
				}
				errs = append(errs, fmt.Sprintf("--%s %v; accepted: %s", f.Name, v, acc))
			case ranged && !r.ok(v):
				errs = append(errs, fmt.Sprintf("--%s %v; accepted: %s", f.Name, v, r.accepted))
			}
		case int:
			if v < 0 {
				errs = append(errs, fmt.Sprintf("--%s %d; accepted: an integer ≥ 0 (0: the default where one exists)", f.Name, v))
			}
		}
	})
	if len(errs) > 0 {
		sort.Strings(errs)
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// writeJSON prints v as the one-line JSON every -json output uses (see the
// package doc).
func writeJSON(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// addMemoryFlag registers --max-memory on fl.
func addMemoryFlag(fl *flag.FlagSet) *string {
	return fl.String("max-memory", "", "memory budget, e.g. 8GiB; a command whose estimated need exceeds it (default: the memory available to this process) is refused before it starts; off disables the check")
}

// checkMemory refuses need when it exceeds the --max-memory budget (or,
// when none is given, the machine's available memory).
func checkMemory(budget string, need resources.Need) error {
	b, err := resources.ParseBytes(budget)
	if err != nil {
		return fmt.Errorf("--max-memory: %w", err)
	}
	return resources.Check(need, b, "--max-memory")
}

// progressTo returns a progress.Func-shaped printer on stderr, or nil when
// quiet.
func progressTo(quiet bool, prefix string) func(done, total int, note string) {
	if quiet {
		return nil
	}
	return func(done, total int, note string) { fmt.Fprintf(errOut, "%s%d/%d %s\n", prefix, done, total, note) }
}

// checkOutput refuses, before any work, an output path that cannot be
// written: a folder that does not exist, or something other than a regular
// file at the path (see package atomicfile). flagName names the flag.
func checkOutput(flagName, path string) error {
	if path == "" {
		return nil
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("--%s %s: the folder %s does not exist", flagName, path, dir)
	}
	if err := atomicfile.Check(path); err != nil {
		return fmt.Errorf("--%s %s: %w", flagName, path, err)
	}
	return nil
}
