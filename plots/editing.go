package plots

import (
	"fmt"
	"sort"

	"github.com/factmlp/factmlp/factmlp/editing"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// EditingScores draws the paper's Fig. 6: the editing score (harmonic mean of
// efficacy, paraphrase and specificity) of each method at each edit
// fraction, as grouped bars (one group per fraction, one bar per method in
// the order given).
func EditingScores(title string, methods []string, results []editing.Result) (*plot.Plot, error) {
	if len(methods) == 0 || len(results) == 0 {
		return nil, fmt.Errorf("plots: EditingScores needs methods and results")
	}
	fracSet := map[float64]bool{}
	for _, r := range results {
		fracSet[r.Fraction] = true
	}
	fracs := make([]float64, 0, len(fracSet))
	for f := range fracSet {
		fracs = append(fracs, f)
	}
	sort.Float64s(fracs)
	p := New(title, "edited facts", "editing score")
	p.Y.Min, p.Y.Max = 0, 1.3 // room for the legend above the bars
	p.Legend.Top, p.Legend.Left = true, false
	w := vg.Points(22)
	for mi, m := range methods {
		vals := make(plotter.Values, len(fracs))
		for fi, f := range fracs {
			for _, r := range results {
				if r.Method == m && r.Fraction == f {
					vals[fi] = r.Score
				}
			}
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return nil, err
		}
		b.Color = MethodColor(m)
		b.LineStyle.Width = 0
		b.Offset = w * vg.Length(float64(mi)-float64(len(methods)-1)/2)
		p.Add(b)
		p.Legend.Add(m, b)
	}
	names := make([]string, len(fracs))
	for i, f := range fracs {
		names[i] = fmt.Sprintf("%g%%", 100*f)
	}
	p.NominalX(names...)
	PlaceLegend(p)
	return p, nil
}
