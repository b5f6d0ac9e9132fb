package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"time"

	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/resources"
)

func init() {
	register(command{name: "rho", summary: "decodability ρ(V) of a value table (optionally whitened)", run: runRho})
}

func runRho(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("rho", flag.ContinueOnError)
	ff := addFactSetFlags(fl)
	whiten := fl.Float64("whiten", 0, "whitening strength α ∈ [0,1]; ρ is reported for the whitened values W_α V")
	eps := fl.Float64("whiten-eps", geometry.DefaultWhitenEps, "whitening ridge ε (relative to the mean eigenvalue)")
	asJSON := fl.Bool("json", false, `print {"rho","rho_per_value","undecodable","values","dim","seconds"} as JSON`)
	workers := fl.Int("workers", 0, "goroutines (default GOMAXPROCS)")
	maxMem := addMemoryFlag(fl)
	if done, err := parseFlags(fl, args); done {
		return err
	}
	whitened := wasSet(fl, "whiten")
	nWorkers := cmp.Or(*workers, runtime.GOMAXPROCS(0))
	if _, values, dim := ff.sizes(); values > 0 {
		if err := checkMemory(*maxMem, resources.Rho(values, dim, nWorkers, ff.family, whitened)); err != nil {
			return err
		}
	}
	fs, desc, err := ff.build()
	if err != nil {
		return err
	}
	if ff.values != "" { // sizes known only now
		n, d := fs.Values.Dims()
		if err := checkMemory(*maxMem, resources.Rho(n, d, nWorkers, "", whitened)); err != nil {
			return err
		}
	}
	values := fs.Values
	var before float64
	var opNorm float64
	start := time.Now()
	opts := geometry.Options{Workers: *workers}
	if whitened {
		wh, err := geometry.NewWhitener(values, *whiten, *eps)
		if err != nil {
			return err
		}
		if !*asJSON {
			b, err := geometry.Decodability(values, opts)
			if err != nil {
				return err
			}
			before = b.Rho
		}
		values = wh.Values(values)
		opNorm = wh.OpNorm
	}
	res, err := geometry.Decodability(values, opts)
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	n, d := values.Dims()
	if *asJSON {
		out := struct {
			Rho         float64   `json:"rho"`
			PerValue    []float64 `json:"rho_per_value"`
			Undecodable []int     `json:"undecodable"`
			Values      int       `json:"values"`
			Dim         int       `json:"dim"`
			Seconds     float64   `json:"seconds"`
		}{res.Rho, res.PerValue, res.Undecodable, n, d, secs}
		if out.Undecodable == nil {
			out.Undecodable = []int{}
		}
		return writeJSON(w, out)
	}
	fmt.Fprintf(w, "fact set: %s\n", desc)
	if whitened {
		fmt.Fprintf(w, "whitening α=%g ε=%g: ρ %.6g → %.6g (‖W_α‖ = %.4g)\n", *whiten, *eps, before, res.Rho, opNorm)
	}
	mean := 0.0
	for _, r := range res.PerValue {
		mean += r / float64(n)
	}
	fmt.Fprintf(w, "ρ(V) = %.6g  (mean ρ_i %.6g, min at value %d; n=%d d=%d; max duality gap %.1e; %.3fs)\n",
		res.Rho, mean, argmin(res.PerValue), n, d, res.MaxGap(), secs)
	if len(res.Undecodable) > 0 {
		shown := res.Undecodable
		if len(shown) > 20 {
			shown = shown[:20]
		}
		fmt.Fprintf(w, "undecodable values (ρ_i ≤ %g): %d: %v\n", geometry.DefaultUndecodableTol, len(res.Undecodable), shown)
		if err := geometry.InfeasibleError(fs, res); err != nil {
			fmt.Fprintf(w, "infeasible: %v\n", err)
		}
	} else {
		fmt.Fprintln(w, "every value is decodable")
	}
	return nil
}

func argmin(x []float64) int {
	k := 0
	for i, v := range x {
		if v < x[k] || math.IsNaN(x[k]) {
			k = i
		}
	}
	return k
}
