package plots

import (
	"fmt"
	"sort"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/fit"
	"gonum.org/v1/plot"
)

// ConstructionPoint is one constructed (or attempted) fact MLP, as the
// figures of notebook 02 use them.
type ConstructionPoint struct {
	Method              string  // "encdec", "ntk", ...
	Facts               int     // |K|
	Kappa               float64 // condition number of the embeddings (1: spherical)
	Spike               float64 // rank-one spike strength β of the embeddings (0: none)
	Seed                uint64
	Hidden              int
	CodeDim             int
	Params              int     // all stored parameters (0: no storing width found)
	ParamsWithoutSeeded int     // without tensors regenerated from the seed
	Accuracy            float64 // exact-argmax accuracy (float64)
	Seconds             float64 // construction time
}

// byMethodX groups value(p) by method and x(p), skipping points where keep
// is false, and returns the methods in order of first appearance.
func byMethodX(pts []ConstructionPoint, x func(ConstructionPoint) float64, value func(ConstructionPoint) float64,
	keep func(ConstructionPoint) bool) ([]string, map[string]Series) {
	var methods []string
	acc := map[string]map[float64][]float64{}
	for _, p := range pts {
		if keep != nil && !keep(p) {
			continue
		}
		if acc[p.Method] == nil {
			acc[p.Method] = map[float64][]float64{}
			methods = append(methods, p.Method)
		}
		acc[p.Method][x(p)] = append(acc[p.Method][x(p)], value(p))
	}
	out := map[string]Series{}
	for _, m := range methods {
		var xs []float64
		for xv := range acc[m] {
			xs = append(xs, xv)
		}
		sort.Float64s(xs)
		s := Series{Method: m}
		for _, xv := range xs {
			s.X = append(s.X, xv)
			s.Y = append(s.Y, acc[m][xv])
		}
		out[m] = s
	}
	return methods, out
}

// MinimalParamsVsFacts plots the smallest parameter count that stores F
// facts (y) against F (x), log–log, one series per method with error bars
// over seeds and a fitted power law (slope in the legend). With
// withoutSeeded, the count leaves out tensors regenerated from the seed.
// Points with Params = 0 (no storing width) are left out. It returns the
// fits by method.
func MinimalParamsVsFacts(title string, pts []ConstructionPoint, withoutSeeded bool) (*plot.Plot, map[string]fit.Line, error) {
	if title == "" {
		title = "Smallest MLP that stores F facts"
	}
	yl := "parameters (all stored tensors)"
	if withoutSeeded {
		yl = "parameters (without seeded tensors)"
	}
	p := NewLogLog(title, "facts F", yl)
	methods, series := byMethodX(pts, func(c ConstructionPoint) float64 { return float64(c.Facts) },
		func(c ConstructionPoint) float64 {
			if withoutSeeded {
				return float64(c.ParamsWithoutSeeded)
			}
			return float64(c.Params)
		}, func(c ConstructionPoint) bool {
			return c.Params > 0 && (!withoutSeeded || c.ParamsWithoutSeeded > 0)
		})
	fits, err := addSeriesFits(p, methods, series)
	if err != nil {
		return nil, nil, err
	}
	PlaceLegend(p)
	return p, fits, nil
}

// AccuracyVsKappa plots exact-argmax accuracy (y, linear, 0 to 1) against
// the embeddings' condition number κ (x, log scale), one series per method
// with error bars over seeds: the figure where the NTK baseline collapses on
// anisotropic embeddings while the encoder–decoder stays exact.
func AccuracyVsKappa(title string, pts []ConstructionPoint) (*plot.Plot, error) {
	if title == "" {
		title = "Accuracy vs anisotropy"
	}
	return accuracyVs(title, "condition number κ of the embeddings", pts, func(c ConstructionPoint) float64 { return c.Kappa })
}

// AccuracyVsSpike is AccuracyVsKappa against the strength β of a rank-one
// spike added to the embeddings (factset family "spiked").
func AccuracyVsSpike(title string, pts []ConstructionPoint) (*plot.Plot, error) {
	if title == "" {
		title = "Accuracy vs spike strength"
	}
	return accuracyVs(title, "spike strength β of the embeddings", pts, func(c ConstructionPoint) float64 { return c.Spike })
}

func accuracyVs(title, xLabel string, pts []ConstructionPoint, x func(ConstructionPoint) float64) (*plot.Plot, error) {
	p := New(title, xLabel, "accuracy (exact argmax)")
	// κ and β are swept in decades (1, 3, 10, 30, ...): decade ticks label
	// both ends of the axis.
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Y.Min, p.Y.Max = 0, 1.05
	p.Legend.Top, p.Legend.Left = false, true
	methods, series := byMethodX(pts, x, func(c ConstructionPoint) float64 { return c.Accuracy },
		func(c ConstructionPoint) bool { return x(c) > 0 })
	if len(methods) == 0 {
		return nil, fmt.Errorf("plots: %s: no points with a positive x", title)
	}
	for _, m := range methods {
		if err := AddSeries(p, series[m]); err != nil {
			return nil, err
		}
	}
	PlaceLegend(p)
	return p, nil
}

// ConstructionSeconds plots construction time (y) against F (x), log–log,
// per method, with a fitted power law.
func ConstructionSeconds(title string, pts []ConstructionPoint) (*plot.Plot, map[string]fit.Line, error) {
	if title == "" {
		title = "Construction time"
	}
	p := NewLogLog(title, "facts F", "seconds")
	methods, series := byMethodX(pts, func(c ConstructionPoint) float64 { return float64(c.Facts) },
		func(c ConstructionPoint) float64 { return c.Seconds }, func(c ConstructionPoint) bool { return c.Seconds > 0 })
	fits, err := addSeriesFits(p, methods, series)
	if err != nil {
		return nil, nil, err
	}
	PlaceLegend(p)
	return p, fits, nil
}

// MinimalPoints converts construction.MinimalSweep results for
// MinimalParamsVsFacts (a point with Params 0 found no storing width).
func MinimalPoints(pts []construction.MinimalPoint) []ConstructionPoint {
	out := make([]ConstructionPoint, len(pts))
	for i, p := range pts {
		out[i] = ConstructionPoint{Method: p.Method, Facts: p.F, Params: p.Params, ParamsWithoutSeeded: p.Without, Hidden: p.Hidden}
	}
	return out
}

// AnisotropyPoints converts construction.AnisotropySweep results for
// AccuracyVsKappa (conditioned sets) and AccuracyVsSpike (spiked sets).
func AnisotropyPoints(pts []construction.AnisotropyPoint) []ConstructionPoint {
	out := make([]ConstructionPoint, len(pts))
	for i, p := range pts {
		out[i] = ConstructionPoint{Method: p.Method, Seed: p.Seed, Accuracy: p.Accuracy}
		if p.Family == "conditioned" {
			out[i].Kappa = p.Param
		} else {
			out[i].Spike = p.Param
		}
	}
	return out
}
