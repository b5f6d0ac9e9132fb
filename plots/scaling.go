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

// ParamRatiosVsFacts draws per-seed parameter ratios
// (transformer.ParamRatios) against F, log₂–log₂: one series per method and
// where (solid: in the Transformer, dashed: standalone), the geometric mean
// over seeds with min–max bars, and a grey horizontal line at claim (for
// example a reported "within 3×"; 0 draws none) labelled claimLabel.
func ParamRatiosVsFacts(title string, rows []transformer.ParamRatio, claim float64, claimLabel string) (*plot.Plot, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("plots: ParamRatiosVsFacts needs at least one ratio")
	}
	versus := rows[0].Versus
	p := NewLogLog(title, "facts F", fmt.Sprintf("params / params(%s)", versus))
	type series struct{ method, where string }
	var order []series
	groups := map[series]*minMax{}
	loF, hiF := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		if r.Versus != versus {
			return nil, fmt.Errorf("plots: ParamRatiosVsFacts: ratios against %q and %q in one figure; accepted: one reference method", versus, r.Versus)
		}
		if r.N == 0 {
			continue
		}
		k := series{r.Method, r.Where}
		if groups[k] == nil {
			groups[k] = &minMax{}
			order = append(order, k)
		}
		groups[k].addSpan(float64(r.Facts), r.Geo, r.Min, r.Max)
		loF, hiF = math.Min(loF, float64(r.Facts)), math.Max(hiF, float64(r.Facts))
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("plots: ParamRatiosVsFacts: no ratio has a seed")
	}
	for _, k := range order {
		if err := groups[k].drawY(p, k.method, fmt.Sprintf("%s, %s", k.method, k.where), k.where == transformer.Standalone, false); err != nil {
			return nil, err
		}
	}
	if claim > 0 {
		l, err := plotter.NewLine(plotter.XYs{{X: loF / 1.2, Y: claim}, {X: hiF * 1.2, Y: claim}})
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = MethodColor("bound"), vg.Points(1.2)
		l.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(l)
		p.Legend.Add(claimLabel, l)
	}
	// Parity (ratio 1) is always in view, and at least one octave above it.
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0.9), math.Max(p.Y.Max, 2.2)
	atLeastAnOctave(&p.X)
	PlaceLegend(p)
	return p, nil
}

// WidthRatioVsFacts draws what using a fact MLP inside the Transformer
// costs: per method and F (transformer.ScalingRows), the smallest width the
// Transformer reads at its threshold over the smallest width that stores
// the facts standalone (mean over seeds, min–max bars; 1 = no cost), log₂
// F on x. Rows without a ratio (every seed capped) are left out.
func WidthRatioVsFacts(title string, rows []transformer.ScalingRow) (*plot.Plot, error) {
	p := New(title, "facts F", "Transformer width / standalone width")
	Log2X(p)
	var order []string
	groups := map[string]*minMax{}
	for _, r := range rows {
		if math.IsNaN(r.RatioMin) || r.Seeds == r.Capped {
			continue
		}
		if groups[r.Method] == nil {
			groups[r.Method] = &minMax{}
			order = append(order, r.Method)
		}
		groups[r.Method].addSpan(float64(r.Facts), r.Ratio, r.RatioMin, r.RatioMax)
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("plots: WidthRatioVsFacts: no row has a Transformer/standalone ratio")
	}
	for _, m := range order {
		if err := groups[m].drawY(p, m, m, false, false); err != nil {
			return nil, err
		}
	}
	p.Y.Min, p.Y.Max = 0.9, 1.08*p.Y.Max // room above the highest bar
	atLeastAnOctave(&p.X)
	PlaceLegend(p)
	return p, nil
}

// atLeastAnOctave widens a log₂ axis whose data span less than an octave
// (one F, say) so that two powers of two are in view and labelled.
func atLeastAnOctave(a *plot.Axis) {
	if a.Min > 0 && a.Max < 2*a.Min {
		k := math.Floor(math.Log2(a.Min))
		a.Min, a.Max = 0.8*math.Exp2(k), math.Max(a.Max, 1.25*math.Exp2(k+1))
	}
}
