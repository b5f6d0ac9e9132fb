package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/factmlp/factmlp/factmlp/capacity"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// xyErr is an XYer with x and y error bars.
type xyErr struct {
	plotter.XYs
	plotter.XErrors
	plotter.YErrors
}

// addGroups draws one series' family groups: markers at (mean ρ, mean cost)
// with min–max bars over seeds in both directions, no connecting line
// (families interleave in ρ). It returns the marker for the legend, or nil
// when no group has an uncapped seed.
func addGroups(p *plot.Plot, series string, groups []capacity.RhoGroup, c color.Color, g draw.GlyphDrawer) (*plotter.Scatter, error) {
	var d xyErr
	for _, gr := range groups {
		if gr.Series != series || gr.Seeds == 0 || !(gr.Mean > 0) {
			continue
		}
		d.XYs = append(d.XYs, plotter.XY{X: gr.Rho, Y: gr.Mean})
		d.XErrors = append(d.XErrors, struct{ Low, High float64 }{gr.Rho - gr.RhoMin, gr.RhoMax - gr.Rho})
		d.YErrors = append(d.YErrors, struct{ Low, High float64 }{gr.Mean - gr.Min, gr.Max - gr.Mean})
	}
	if len(d.XYs) == 0 {
		return nil, nil
	}
	sc, err := plotter.NewScatter(d.XYs)
	if err != nil {
		return nil, err
	}
	sc.Color, sc.Shape, sc.Radius = c, g, vg.Points(3)
	yb, err := plotter.NewYErrorBars(d)
	if err != nil {
		return nil, err
	}
	xb, err := plotter.NewXErrorBars(d)
	if err != nil {
		return nil, err
	}
	yb.Color, xb.Color = c, c
	yb.CapWidth, xb.CapWidth = vg.Points(3), vg.Points(3)
	p.Add(sc, yb, xb)
	return sc, nil
}

// rhoTicks marks ρ at 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, …, 1 (a log axis
// spanning less than a decade gets readable labels).
type rhoTicks struct{}

// Ticks implements plot.Ticker.
func (rhoTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for _, v := range []float64{0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1} {
		if v >= min*(1-1e-9) && v <= max*(1+1e-9) {
			ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%g", v)})
		}
	}
	if len(ts) < 2 {
		return plot.LogTicks{Prec: 2}.Ticks(min, max)
	}
	return ts
}

// logAxes puts both axes on log scales: ρ ticks on x, powers of two on y.
func logAxes(p *plot.Plot) {
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = rhoTicks{}, Log2Ticks{}
}

// roomForLegend raises the top of a log y axis so the data fill the lower
// frac of the height and the legend (top right) covers none of it.
func roomForLegend(p *plot.Plot, frac float64) {
	lo, hi := math.Log(p.Y.Min), math.Log(p.Y.Max)
	if p.Y.Min > 0 && hi > lo {
		p.Y.Max = math.Exp(lo + (hi-lo)/frac)
	}
}

// addPowerLine draws y = 2^Intercept·x^Slope dashed over [lo, hi].
func addPowerLine(p *plot.Plot, slope, intercept, lo, hi float64, c color.Color, dashes []vg.Length) (*plotter.Line, error) {
	const n = 24
	xys := make(plotter.XYs, n)
	for i := range xys {
		x := math.Exp(math.Log(lo) + (math.Log(hi)-math.Log(lo))*float64(i)/(n-1))
		xys[i] = plotter.XY{X: x, Y: math.Exp2(intercept + slope*math.Log2(x))}
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width, l.Dashes = c, vg.Points(1), dashes
	p.Add(l)
	return l, nil
}

// rhoRange is the ρ range of a series' uncapped groups.
func rhoRange(groups []capacity.RhoGroup, series string) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, g := range groups {
		if g.Series == series && g.Seeds > 0 {
			lo, hi = math.Min(lo, g.RhoMin), math.Max(hi, g.RhoMax)
		}
	}
	return lo, hi
}

// CostVsRhoStudy is the paper's Fig. 2 from a RhoStudy: for each series,
// the smallest parameter count against ρ (markers: one per value family,
// mean over seeds with min–max bars in ρ and cost; capped seeds left out)
// and its power-law fit over the uncapped per-seed points (dashed, slope
// with 95% CI in the legend). The legend sits outside the data, on the right.
func CostVsRhoStudy(groups []capacity.RhoGroup, fits []capacity.RhoFit, title string) (*plot.Plot, error) {
	p := New(title, "decodability ρ(V), log scale", "min. parameters")
	logAxes(p)
	p.Legend.Top, p.Legend.Left = true, false
	drawn := 0
	for _, f := range fits {
		c := MethodColor(f.Method)
		sc, err := addGroups(p, f.Method, groups, c, MethodGlyph(f.Method))
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", f.Method, err)
		}
		if sc == nil {
			p.Legend.Add(f.Method + ": never stored within its search limit")
			continue
		}
		drawn++
		label := f.Method
		if f.Err == "" {
			lo, hi := rhoRange(groups, f.Method)
			l, err := addPowerLine(p, f.Slope, f.Intercept, lo, hi, c, []vg.Length{vg.Points(4), vg.Points(2)})
			if err != nil {
				return nil, err
			}
			label += fmt.Sprintf(": ρ^%.2f [%.2f, %.2f]", f.Slope, f.CILow, f.CIHigh)
			p.Legend.Add(label, sc, l)
			continue
		}
		p.Legend.Add(label+": no fit", sc)
	}
	if drawn == 0 {
		return nil, fmt.Errorf("plots: no series has an uncapped point")
	}
	roomForLegend(p, 0.62)
	PlaceLegend(p)
	return p, nil
}

// CodeDimVsRho draws the decode check's code dimension m against ρ: plain
// codes R·u* per family (spiked, midpoints) and refined codes, one marker
// per table and seed, with the JL prediction 2·ln|V|/ρ² (black dashed)
// and the ceiling m = d (grey dotted; points on it are capped).
func CodeDimVsRho(dims []capacity.CodeDim, title string) (*plot.Plot, error) {
	if len(dims) == 0 {
		return nil, fmt.Errorf("plots: no code dimensions")
	}
	p := New(title, "decodability ρ(V), log scale", "code dimension m")
	logAxes(p)
	p.Legend.Top, p.Legend.Left = true, false
	type set struct {
		label   string
		refined bool
		family  string
		c       color.Color
		g       draw.GlyphDrawer
	}
	sets := []set{
		{"m, codes R·u*: spiked", false, "spiked", MethodColor("encdec-norefine"), draw.CircleGlyph{}},
		{"m, codes R·u*: midpoints", false, "midpoints", MethodColor("encdec-norefine"), draw.TriangleGlyph{}},
		{"m, codes R·u*: spherical", false, "spherical", MethodColor("encdec-norefine"), draw.SquareGlyph{}},
		{"m, refined codes (all families)", true, "", MethodColor("encdec"), draw.RingGlyph{}},
	}
	lo, hi, d := math.Inf(1), math.Inf(-1), 0.0
	for _, c := range dims {
		lo, hi, d = math.Min(lo, c.Rho), math.Max(hi, c.Rho), float64(c.Dim)
	}
	for _, s := range sets {
		var xys plotter.XYs
		for _, c := range dims {
			if s.refined {
				xys = append(xys, plotter.XY{X: c.Rho, Y: float64(c.MRefined)})
			} else if c.Family == s.family {
				xys = append(xys, plotter.XY{X: c.Rho, Y: float64(c.M)})
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Shape, sc.Radius = s.c, s.g, vg.Points(3)
		p.Add(sc)
		p.Legend.Add(s.label, sc)
	}
	lnV := dims[0].JL * dims[0].Rho * dims[0].Rho / 2
	jl, err := addPowerLine(p, -2, math.Log2(2*lnV), lo, hi, color.Black, []vg.Length{vg.Points(5), vg.Points(3)})
	if err != nil {
		return nil, err
	}
	p.Legend.Add("JL prediction 2·ln|V|/ρ²", jl)
	capLine, err := addPowerLine(p, 0, math.Log2(d), lo, hi, MethodColor("bound"), []vg.Length{vg.Points(1), vg.Points(3)})
	if err != nil {
		return nil, err
	}
	p.Legend.Add(fmt.Sprintf("m = d = %g (capped)", d), capLine)
	roomForLegend(p, 0.68)
	PlaceLegend(p)
	return p, nil
}
