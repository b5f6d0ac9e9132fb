package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/factmlp/factmlp/factmlp/capacity"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/resources"
)

func init() {
	register(command{name: "capacity", summary: "smallest hidden width at which a method stores a fact set", run: runCapacity})
}

// capacityFlags are the method and search flags shared by capacity.
type capacityFlags struct {
	method           string
	act              string
	methodSeed       uint64
	lr               float64
	epochs, maxBatch int
	loss             string
	bias             bool
	codeDim          int
	start, maxH      int
	relTol           float64
	cache            string
	sphericalKeys    bool
	factSet          *factSetFlags
	fl               *flag.FlagSet
}

func addCapacityFlags(fl *flag.FlagSet) *capacityFlags {
	c := &capacityFlags{fl: fl, factSet: addFactSetFlags(fl)}
	fl.StringVar(&c.method, "method", "gd", "method: "+strings.Join(method.Names(), "|"))
	fl.StringVar(&c.act, "act", "", "gate non-linearity identity|relu|silu (default: the method's; identity for gd, relu for the constructions)")
	fl.Uint64Var(&c.methodSeed, "method-seed", 0, "seed of the method's random draws and initialisation (default --seed)")
	fl.Float64Var(&c.lr, "lr", 0, "GD peak learning rate (default 1e-2)")
	fl.IntVar(&c.epochs, "epochs", 0, "GD epoch budget per width (default 2000)")
	fl.IntVar(&c.maxBatch, "max-batch", 0, "GD full-batch limit; larger fact sets use minibatches (default 4096)")
	fl.StringVar(&c.loss, "loss", "", "GD loss ce|mse (default ce for gd, mse for encdec-gd)")
	fl.BoolVar(&c.bias, "bias", false, "GD: train biases")
	fl.IntVar(&c.codeDim, "code-dim", 0, "code dimension m of "+strings.Join(method.TakenBy(method.SetCodeDim), ", ")+" (default: smallest that decodes)")
	fl.IntVar(&c.start, "start", 0, "first hidden width tried (default: a method-specific guess)")
	fl.IntVar(&c.maxH, "max-hidden", 0, "largest hidden width tried (default 65536; 16384 for ntk, which saturates)")
	fl.Float64Var(&c.relTol, "rel-tol", 0, "stop bisecting when hi−lo ≤ rel-tol·hi (default 0: exact)")
	fl.BoolVar(&c.sphericalKeys, "spherical-keys", false, "draw the keys as independent spherical vectors; only the values follow --family")
	fl.StringVar(&c.cache, "cache", "", "cache directory for trials and points (resumes interrupted runs)")
	return c
}

func (c *capacityFlags) point() (capacity.Point, error) {
	ff := c.factSet
	if ff.values != "" || ff.keys != "" || ff.fmap != "" {
		return capacity.Point{}, errors.New("capacity measures generated fact sets (the cache key is the generator spec); --values/--keys/--map are not accepted here")
	}
	seed := c.methodSeed
	if seed == 0 {
		seed = ff.seed
	}
	keys := ""
	if c.sphericalKeys {
		keys = "spherical"
	}
	p := capacity.Point{Method: c.method, Facts: ff.spec(), Keys: keys, Act: c.act, Seed: seed,
		GD:    capacity.GD{LR: c.lr, Epochs: c.epochs, Loss: c.loss, Bias: c.bias, MaxBatch: c.maxBatch, CodeDim: c.codeDim},
		Start: c.start, Max: c.maxH, RelTol: c.relTol}
	return p.Normalize()
}

// capacityJSON is the -json output of factmlp capacity: capacity.Result
// with "never stores" explicit (stored false, min_hidden and min_params
// null, and the reason) instead of zero costs.
type capacityJSON struct {
	Method    string           `json:"method"`
	Facts     int              `json:"facts"`
	Dim       int              `json:"dim"`
	Stored    bool             `json:"stored"`
	MinHidden *int             `json:"min_hidden"`
	MinParams *int             `json:"min_params"`
	Reason    string           `json:"reason,omitempty"`
	Rho       float64          `json:"rho"`
	Trials    []capacity.Trial `json:"trials"`
	Seconds   float64          `json:"seconds"`
}

func runCapacity(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("capacity", flag.ContinueOnError)
	c := addCapacityFlags(fl)
	asJSON := fl.Bool("json", false, `print {"method","facts","dim","stored","min_hidden","min_params","reason","rho","trials","seconds"} as JSON (min_hidden, min_params null when no width stores)`)
	verbose := fl.Bool("v", false, "report every trial on stderr")
	fl.Bool("q", false, "no progress on stderr (the default here; see -v)")
	maxMem := addMemoryFlag(fl)
	if done, err := parseFlags(fl, args); done {
		return err
	}
	p, err := c.point()
	if err != nil {
		return err
	}
	first := p.Start
	if first == 0 {
		first = 2 * p.Facts.Keys
	}
	if err := checkMemory(*maxMem, resources.Capacity(p.Facts.Keys, p.Facts.N, p.Facts.Dim, min(first, p.Max), cmp.Or(p.GD.MaxBatch, 4096))); err != nil {
		return err
	}
	opts := capacity.Options{}
	if c.cache != "" {
		opts.Cache = &capacity.Cache{Dir: c.cache, Warn: func(m string) { fmt.Fprintln(errOut, m) }}
	}
	if *verbose {
		opts.Progress = func(done, _ int, note string) { fmt.Fprintf(errOut, "trial %d: %s\n", done, note) }
	}
	r, err := capacity.Measure(p, opts)
	if err != nil {
		return err
	}
	if r.Trials == nil {
		r.Trials = []capacity.Trial{}
	}
	notStored := fmt.Sprintf("no hidden width up to %d stores the %d facts", p.Max, r.Facts)
	if *asJSON {
		out := capacityJSON{Method: r.Method, Facts: r.Facts, Dim: r.Dim, Stored: r.Found(), Rho: r.Rho, Trials: r.Trials, Seconds: r.Seconds}
		if r.Found() {
			out.MinHidden, out.MinParams = &r.MinHidden, &r.MinParams
		} else {
			out.Reason = notStored
		}
		return writeJSON(w, out)
	}
	fmt.Fprintf(w, "%s on %s (act %s)\n", p.Method, p.Facts, p.Act)
	for _, t := range r.Trials {
		fmt.Fprintf(w, "  h=%-6d params=%-8d stored=%-5v %.2fs\n", t.Hidden, t.Params, t.Stored, t.Seconds)
	}
	if !r.Found() {
		fmt.Fprintf(w, "NOT STORED: %s (ρ = %.4g, %.1fs)\n", notStored, r.Rho, r.Seconds)
		return nil
	}
	fmt.Fprintf(w, "min hidden %d, min params %d (%.3f facts/param), ρ = %.4g, %.1fs\n",
		r.MinHidden, r.MinParams, float64(r.Facts)/float64(r.MinParams), r.Rho, r.Seconds)
	return nil
}
