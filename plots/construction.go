package plots

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/fit"
	"gonum.org/v1/gonum/stat"
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

// AnisotropyReading is what AnisotropyAt marks at the chosen κ or β: means
// over seeds.
type AnisotropyReading struct {
	Family   string             // "conditioned" (x is κ) or "spiked" (x is β)
	X        float64            // the chosen κ or β
	Rho      float64            // decodability ρ of the values
	CodeDim  float64            // encdec's code dimension m
	Accuracy map[string]float64 // exact-argmax accuracy by method
}

// AnisotropyAt draws one family of an anisotropy sweep
// (construction.AnisotropySweep): each method's exact-argmax accuracy and
// the values' decodability ρ against κ or β (log axis), with a vertical
// line at x, one of the swept values. It returns the figure and the
// readings at x. The interactive κ/β slider of notebook 02 redraws it.
func AnisotropyAt(pts []construction.AnisotropyPoint, family string, x float64) (*plot.Plot, AnisotropyReading, error) {
	r := AnisotropyReading{Family: family, X: x, Accuracy: map[string]float64{}}
	name := map[string]string{"conditioned": "condition number κ", "spiked": "spike strength β"}[family]
	if name == "" {
		return nil, r, fmt.Errorf("plots: AnisotropyAt: family %q, want conditioned or spiked", family)
	}
	var fam []ConstructionPoint
	rho := map[float64][]float64{}
	sums := map[string][]float64{}
	for _, p := range pts {
		if p.Family != family {
			continue
		}
		fam = append(fam, ConstructionPoint{Method: p.Method, Kappa: p.Param, Seed: p.Seed, Accuracy: p.Accuracy})
		if p.Method == "encdec" {
			rho[p.Param] = append(rho[p.Param], p.Rho)
		}
		if p.Param == x {
			sums[p.Method] = append(sums[p.Method], p.Accuracy)
			if p.Method == "encdec" {
				sums["m"] = append(sums["m"], float64(p.M))
				sums["rho"] = append(sums["rho"], p.Rho)
			}
		}
	}
	if len(sums["rho"]) == 0 {
		return nil, r, fmt.Errorf("plots: AnisotropyAt: no encdec point of family %s at %g", family, x)
	}
	for m, v := range sums {
		switch m {
		case "m":
			r.CodeDim = stat.Mean(v, nil)
		case "rho":
			r.Rho = stat.Mean(v, nil)
		default:
			r.Accuracy[m] = stat.Mean(v, nil)
		}
	}
	symbol := name[strings.LastIndexByte(name, ' ')+1:]
	p, err := accuracyVs(fmt.Sprintf("%s embeddings at %s = %g", strings.ToUpper(family[:1])+family[1:], symbol, x),
		name, fam, func(c ConstructionPoint) float64 { return c.Kappa })
	if err != nil {
		return nil, r, err
	}
	p.Y.Label.Text = "accuracy (exact argmax) and ρ"
	rs := Series{Method: "bound", Label: "decodability ρ(V)", Dashed: true}
	for _, k := range slices.Sorted(maps.Keys(rho)) {
		rs.X, rs.Y = append(rs.X, k), append(rs.Y, rho[k])
	}
	if err := AddSeries(p, rs); err != nil {
		return nil, r, err
	}
	p.Legend.Add("chosen "+symbol, segment(p, x, 0, x, 1.05, MethodColor("chosen"), 1.5, false))
	PlaceLegend(p)
	return p, r, nil
}
