package plots

import (
	"fmt"
	"math"
	"sort"

	"github.com/factmlp/factmlp/factmlp/transformer"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TransformerScaling draws the paper's Figure 4: facts F (y) against the
// parameters of the smallest fact MLP (x), log₂–log₂, for each method both
// inside the Transformer (solid, filled markers: the smallest width at which
// the Transformer reaches the fact-adaptive threshold) and standalone
// (dashed, hollow markers: the smallest width that stores the facts). Each
// point is the mean over seeds with min–max bars; the power laws of fits
// (transformer.ScalingFits, over every seed's point) are drawn dotted with
// their slopes in the legend. Points without a width are left out (fits
// name them).
func TransformerScaling(title string, pts []transformer.ScalingPoint, fits []transformer.ScalingFit) (*plot.Plot, error) {
	if len(pts) == 0 {
		return nil, fmt.Errorf("plots: TransformerScaling needs at least one point")
	}
	p := NewLogLog(title, "parameters of the fact MLP (smallest that works)", "facts F")
	for _, f := range fits {
		var byF = map[int][]float64{}
		for _, q := range pts {
			if q.Method != f.Method {
				continue
			}
			params := q.MinParams
			if f.Where == "standalone" {
				params = q.StandaloneParams
			}
			if params > 0 {
				byF[q.Facts] = append(byF[q.Facts], float64(params))
			}
		}
		var facts []int
		for F := range byF {
			facts = append(facts, F)
		}
		sort.Ints(facts)
		var xy plotter.XYs
		var xerr plotter.XErrors
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, F := range facts {
			v := byF[F]
			mean, mn, mx := 0.0, math.Inf(1), math.Inf(-1)
			for _, x := range v {
				mean += x / float64(len(v))
				mn, mx = math.Min(mn, x), math.Max(mx, x)
			}
			xy = append(xy, plotter.XY{X: mean, Y: float64(F)})
			xerr = append(xerr, struct{ Low, High float64 }{mean - mn, mx - mean})
			lo, hi = math.Min(lo, mn), math.Max(hi, mx)
		}
		if len(xy) == 0 {
			continue
		}
		line, marks, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		c := MethodColor(f.Method)
		line.Color, line.Width = c, vg.Points(1.6)
		marks.Color, marks.Radius, marks.Shape = c, vg.Points(3), MethodGlyph(f.Method)
		if f.Where == "standalone" {
			line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			marks.Shape = draw.RingGlyph{}
		}
		eb, err := plotter.NewXErrorBars(struct {
			plotter.XYs
			plotter.XErrors
		}{xy, xerr})
		if err != nil {
			return nil, err
		}
		eb.Color, eb.CapWidth = c, vg.Points(4)
		// The fitted power law F = 2^b · params^a over the data's range.
		var fl plotter.XYs
		for i := 0; i < 32; i++ {
			x := math.Exp2(math.Log2(lo) + (math.Log2(hi)-math.Log2(lo))*float64(i)/31)
			fl = append(fl, plotter.XY{X: x, Y: f.Power(x)})
		}
		fitLine, err := plotter.NewLine(fl)
		if err != nil {
			return nil, err
		}
		fitLine.Color, fitLine.Width, fitLine.Dashes = c, vg.Points(0.8), []vg.Length{vg.Points(1), vg.Points(2)}
		p.Add(line, marks, eb, fitLine)
		p.Legend.Add(fmt.Sprintf("%s %s: slope %.2f [%.2f, %.2f]", f.Method, f.Where, f.Slope, f.CILow, f.CIHigh), line, marks)
	}
	PlaceLegend(p)
	return p, nil
}
