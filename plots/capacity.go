package plots

import (
	"fmt"
	"sort"

	"github.com/factmlp/factmlp/factmlp/capacity"
	"github.com/factmlp/factmlp/factmlp/fit"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
)

// FactsVsParams builds the paper's Fig. 3: for each method, the number of
// facts F (y) against the smallest parameter count that stores them (x),
// log–log, one point per F (parameters averaged over seeds), with a fitted
// power law F ∝ params^slope per method. Records that found no width are
// left out. Points with fewer than fitFrom facts are drawn but not fitted.
// It returns the plot and the fits by method.
func FactsVsParams(recs []capacity.Record, methods []string, title string, fitFrom int) (*plot.Plot, map[string]fit.Line, error) {
	if title == "" {
		title = "Facts stored vs parameters"
	}
	p := NewLogLog(title, "parameters (smallest MLP that stores every fact)", "facts F")
	fits := map[string]fit.Line{}
	for _, m := range methods {
		byF := map[int][]float64{}
		for _, r := range capacity.Select(recs, m) {
			byF[r.Facts] = append(byF[r.Facts], float64(r.MinParams))
		}
		if len(byF) == 0 {
			continue
		}
		var fs []int
		for f := range byF {
			fs = append(fs, f)
		}
		sort.Ints(fs)
		var xs, ys []float64
		for _, f := range fs {
			mean := stat.Mean(byF[f], nil)
			xs, ys = append(xs, mean), append(ys, float64(f))
		}
		if err := AddSeries(p, Points(m, xs, ys)); err != nil {
			return nil, nil, err
		}
		var fx, fy []float64
		for i := range xs {
			if ys[i] >= float64(fitFrom) {
				fx, fy = append(fx, xs[i]), append(fy, ys[i])
			}
		}
		if len(fx) >= 2 {
			f, err := AddFit(p, m, m+" fit", fx, fy)
			if err != nil {
				return nil, nil, fmt.Errorf("plots: %s: %w", m, err)
			}
			fits[m] = f
		}
	}
	PlaceLegend(p)
	return p, fits, nil
}

// CostVsRho builds the paper's Fig. 2: for each method, the smallest
// parameter count (y) against the decodability ρ of the value family (x),
// log–log, error bars over seeds, with a fitted line log params = a·log ρ + b
// and its R² in the legend. It returns the plot and the fits by method.
func CostVsRho(recs []capacity.Record, methods []string, title string) (*plot.Plot, map[string]fit.Line, error) {
	if title == "" {
		title = "Parameters needed vs decodability ρ"
	}
	p := NewLogLog(title, "decodability ρ(V)", "parameters (smallest storing MLP)")
	var withData []string
	series := map[string]Series{}
	for _, m := range methods {
		type fam struct {
			family      string
			kappa, beta float64
		}
		rhos := map[fam][]float64{}
		params := map[fam][]float64{}
		for _, r := range capacity.Select(recs, m) {
			k := fam{r.Family, r.Kappa, r.Beta}
			rhos[k] = append(rhos[k], r.Rho)
			params[k] = append(params[k], float64(r.MinParams))
		}
		if len(rhos) == 0 {
			continue
		}
		var keys []fam
		for k := range rhos {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a := stat.Mean(rhos[keys[i]], nil)
			b := stat.Mean(rhos[keys[j]], nil)
			return a < b
		})
		s := Series{Method: m}
		for _, k := range keys {
			x := stat.Mean(rhos[k], nil)
			s.X = append(s.X, x)
			s.Y = append(s.Y, params[k])
		}
		withData = append(withData, m)
		series[m] = s
	}
	fits, err := addSeriesFits(p, withData, series)
	if err != nil {
		return nil, nil, err
	}
	PlaceLegend(p)
	return p, fits, nil
}
