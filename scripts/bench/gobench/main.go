// Command gobench times the Go side of `make bench`: one GD optimiser step
// of training.Train at the shapes the PyTorch peer (scripts/bench/peer.py)
// mirrors, and linalg.Cholesky in float64. It prints one JSON object per
// measurement: {"name", "ms", "cpu_ms", "detail"}.
//
// A GD step's cost is measured by differencing: Train runs twice with the
// same settings and epoch budgets e1 < e2 (KeepGoing, one evaluation at the
// end), so compilation, set-up and the final check cancel and
// (t2 − t1)/(steps2 − steps1) is the time of one step: forward, backward
// (CE over all values) and Adam, as the peer times it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/linalg"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/training"
	"gonum.org/v1/gonum/mat"
)

// Shape is one GD-step benchmark: F tied spherical facts in dimension D,
// hidden width H, identity gate, CE over all F values, Adam; batches of at
// most 4096 keys (training's default MaxBatch).
type Shape struct {
	F, D, H int
	E1, E2  int // epoch budgets differenced
	// Models > 1 trains that many MLPs (each on its own fact set) side by
	// side in one graph (training.TrainMany); the time is per model.
	Models int
}

var shapes = []Shape{
	{F: 2048, D: 64, H: 512, E1: 4, E2: 24},            // STACK.md's step
	{F: 512, D: 32, H: 20, E1: 40, E2: 440},            // the capacity search's step
	{F: 16384, D: 128, H: 2048, E1: 1, E2: 3},          // the paper's largest, 4 minibatches per epoch
	{F: 512, D: 32, H: 20, E1: 40, E2: 240, Models: 4}, // the capacity-search step, 4 models per graph
}

type result struct {
	Name   string  `json:"name"`
	Ms     float64 `json:"ms"`
	CPUMs  float64 `json:"cpu_ms"`
	Detail string  `json:"detail"`
}

func main() {
	only := flag.String("only", "", "comma-separated name prefixes to run (gd_step, cholesky); default all")
	choleskyN := flag.Int("cholesky-n", 4096, "size of the float64 Cholesky")
	flag.Parse()
	want := func(name string) bool {
		if *only == "" {
			return true
		}
		for _, p := range strings.Split(*only, ",") {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
		return false
	}
	enc := json.NewEncoder(os.Stdout)
	for _, s := range shapes {
		name := fmt.Sprintf("gd_step F=%d d=%d h=%d", s.F, s.D, s.H)
		if s.Models > 1 {
			name += fmt.Sprintf(" models=%d", s.Models)
		}
		if !want(name) {
			continue
		}
		r, err := gdStep(name, s)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gobench:", err)
			os.Exit(1)
		}
		_ = enc.Encode(r)
	}
	name := fmt.Sprintf("cholesky float64 n=%d", *choleskyN)
	if want(name) {
		r, err := cholesky(name, *choleskyN)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gobench:", err)
			os.Exit(1)
		}
		_ = enc.Encode(r)
	}
}

func gdStep(name string, s Shape) (result, error) {
	k := max(1, s.Models)
	sets, seeds := make([]*factset.FactSet, k), make([]uint64, k)
	for i := range sets {
		seed := 7 + uint64(i)
		sets[i] = factset.NewTied(factset.Spherical(s.F, s.D, rng.New(seed)), rng.Derive(seed, "map"))
		seeds[i] = 1 + uint64(i)
	}
	run := func(epochs int) (wall, cpu float64, steps int, err error) {
		opts := training.Options{Hidden: s.H, Epochs: epochs, EvalEvery: epochs, KeepGoing: true, Seed: 1}
		c0, t0 := cpuSeconds(), time.Now()
		res, err := training.TrainMany(sets, opts, seeds) // one set: Train itself
		if err != nil {
			return 0, 0, 0, fmt.Errorf("%s: %w", name, err)
		}
		return time.Since(t0).Seconds(), cpuSeconds() - c0, res[0].Steps, nil
	}
	w1, c1, n1, err := run(s.E1)
	if err != nil {
		return result{}, err
	}
	w2, c2, n2, err := run(s.E2)
	if err != nil {
		return result{}, err
	}
	if n2 <= n1 {
		return result{}, fmt.Errorf("%s: %d and %d steps; cannot difference", name, n1, n2)
	}
	steps := float64(n2-n1) * float64(k) // model-steps
	detail := fmt.Sprintf("training.Train, %d−%d steps differenced, float32, GOMAXPROCS=%d", n2, n1, runtime.GOMAXPROCS(0))
	if k > 1 {
		detail = fmt.Sprintf("training.TrainMany, %d models in one graph, per model, %d−%d steps differenced, float32, GOMAXPROCS=%d", k, n2, n1, runtime.GOMAXPROCS(0))
	}
	return result{Name: name, Ms: (w2 - w1) / steps * 1e3, CPUMs: (c2 - c1) / steps * 1e3, Detail: detail}, nil
}

func cholesky(name string, n int) (result, error) {
	r := rng.New(3)
	g := mat.NewDense(n, n, nil)
	for i := range g.RawMatrix().Data {
		g.RawMatrix().Data[i] = r.NormFloat64()
	}
	a := mat.NewSymDense(n, nil)
	if err := linalg.SymOuter(a.RawSymmetric(), g.RawMatrix()); err != nil {
		return result{}, err
	}
	for i := 0; i < n; i++ {
		a.SetSym(i, i, a.At(i, i)+float64(n))
	}
	work := mat.NewSymDense(n, nil)
	best, bestCPU := 0.0, 0.0
	const reps = 3
	for rep := 0; rep < reps; rep++ { // the best of three: the kernel's speed, not the neighbours' load
		work.CopySym(a)
		c0, t0 := cpuSeconds(), time.Now()
		if _, err := linalg.Cholesky(work.RawSymmetric()); err != nil {
			return result{}, err
		}
		w, c := time.Since(t0).Seconds(), cpuSeconds()-c0
		if rep == 0 || w < best {
			best, bestCPU = w, c
		}
	}
	gflops := float64(n) * float64(n) * float64(n) / 3 / best / 1e9
	return result{Name: name, Ms: best * 1e3, CPUMs: bestCPU * 1e3,
		Detail: fmt.Sprintf("linalg.Cholesky, best of %d, %.1f GFLOP/s", reps, gflops)}, nil
}

// cpuSeconds is the process's user+system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
