package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/rhosweep"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colours of the decodability pictures.
var (
	anchorColor = color.RGBA{0xD5, 0x5E, 0x00, 0xff} // vermillion
	sepColor    = color.RGBA{0x00, 0x72, 0xB2, 0xff} // blue
	capColor    = color.RGBA{0x00, 0x9E, 0x73, 0xff} // green
	badColor    = color.RGBA{0x99, 0x99, 0x99, 0xff} // grey
)

// equalAxes sets ranges so one data unit has the same length on both axes at
// the shared figure size, with the data box [x0,x1]×[y0,y1] visible.
func equalAxes(p *plot.Plot, x0, x1, y0, y1 float64) {
	ratio := float64(Width-1.1*vg.Inch) / float64(Height-0.9*vg.Inch)
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hw, hh := (x1-x0)/2, (y1-y0)/2
	if hw < hh*ratio {
		hw = hh * ratio
	} else {
		hh = hw / ratio
	}
	p.X.Min, p.X.Max = cx-hw, cx+hw
	p.Y.Min, p.Y.Max = cy-hh, cy+hh
}

func segment(p *plot.Plot, x0, y0, x1, y1 float64, c color.Color, width float64, dashed bool) *plotter.Line {
	l, _ := plotter.NewLine(plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y1}})
	l.Color = c
	l.Width = vg.Points(width)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(l)
	return l
}

func arrow(p *plot.Plot, x0, y0, x1, y1 float64, c color.Color, head float64) *plotter.Line {
	l := segment(p, x0, y0, x1, y1, c, 2, false)
	ang := math.Atan2(y1-y0, x1-x0)
	for _, da := range []float64{2.7, -2.7} {
		segment(p, x1, y1, x1+head*math.Cos(ang+da), y1+head*math.Sin(ang+da), c, 2, false)
	}
	return l
}

func scatter(p *plot.Plot, xys plotter.XYs, c color.Color, g draw.GlyphDrawer, r float64) *plotter.Scatter {
	s, _ := plotter.NewScatter(xys)
	s.Color = c
	s.Shape = g
	s.Radius = vg.Points(r)
	p.Add(s)
	return s
}

func check2D(values *mat.Dense, anchor int, res *geometry.Result) error {
	if values == nil || res == nil {
		return errors.New("plots: values and a decodability result are required")
	}
	n, d := values.Dims()
	if d != 2 {
		return fmt.Errorf("plots: the decodability picture needs 2-D values, got dimension %d", d)
	}
	if anchor < 0 || anchor >= n {
		return fmt.Errorf("plots: anchor %d out of range [0, %d)", anchor, n)
	}
	if len(res.PerValue) != n {
		return fmt.Errorf("plots: result has %d values, table has %d", len(res.PerValue), n)
	}
	return nil
}

// DecodabilityPlane draws 2-D values: the anchor v_i, its separator u*_i as
// an arrow, the decision line through v_i perpendicular to u*_i (every other
// value lies strictly behind it), and undecodable values as grey crosses.
func DecodabilityPlane(values *mat.Dense, anchor int, res *geometry.Result) (*plot.Plot, error) {
	if err := check2D(values, anchor, res); err != nil {
		return nil, err
	}
	n, _ := values.Dims()
	p := New(fmt.Sprintf("Values in the plane: anchor v%s, separator u*, ρ%s = %.3f", Subscript(anchor), Subscript(anchor), res.PerValue[anchor]), "x₁", "x₂")
	var good, bad plotter.XYs
	var labels plotter.XYLabels
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	undec := map[int]bool{}
	for _, j := range res.Undecodable {
		undec[j] = true
	}
	for j := 0; j < n; j++ {
		xy := plotter.XY{X: values.At(j, 0), Y: values.At(j, 1)}
		x0, x1, y0, y1 = math.Min(x0, xy.X), math.Max(x1, xy.X), math.Min(y0, xy.Y), math.Max(y1, xy.Y)
		if undec[j] {
			bad = append(bad, xy)
		} else if j != anchor {
			good = append(good, xy)
		}
		labels.XYs = append(labels.XYs, plotter.XY{X: xy.X + 0.04, Y: xy.Y + 0.04})
		labels.Labels = append(labels.Labels, fmt.Sprint(j))
	}
	span := math.Max(x1-x0, y1-y0)
	pad := 0.25 * span
	if len(good) > 0 {
		p.Legend.Add("decodable value", scatter(p, good, color.Black, draw.CircleGlyph{}, 3.5))
	}
	if len(bad) > 0 {
		p.Legend.Add("undecodable value (its ρ = 0)", scatter(p, bad, badColor, draw.CrossGlyph{}, 5))
	}
	ax, ay := values.At(anchor, 0), values.At(anchor, 1)
	p.Legend.Add("anchor v"+Subscript(anchor), scatter(p, plotter.XYs{{X: ax, Y: ay}}, anchorColor, draw.CircleGlyph{}, 5))
	ux, uy := res.Separators.At(anchor, 0), res.Separators.At(anchor, 1)
	if ux != 0 || uy != 0 {
		L := 0.35 * span
		p.Legend.Add("separator u*", arrow(p, ax, ay, ax+L*ux, ay+L*uy, sepColor, 0.06*span))
		// Decision line ⟨u*, x⟩ = ⟨u*, v_anchor⟩.
		D := 2 * span
		p.Legend.Add("decision line u*·x = u*·v"+Subscript(anchor), segment(p, ax-D*uy, ay+D*ux, ax+D*uy, ay-D*ux, sepColor, 1, true))
	}
	lab, err := plotter.NewLabels(labels)
	if err == nil {
		p.Add(lab)
	}
	equalAxes(p, x0-pad, x1+pad, y0-pad, y1+pad) // after Add, which widens the axes
	PlaceLegend(p)
	return p, nil
}

// DecodabilityCap draws the normalised differences a_ij = (v_i − v_j)/‖v_i − v_j‖
// of a 2-D anchor on the unit circle, the smallest cap containing them (the
// arc within angle arccos ρ_i of u*_i), u*_i, and the minimum-norm point
// p* = ρ_i u*_i of their convex hull (the dual picture: ρ_i = ‖p*‖).
func DecodabilityCap(values *mat.Dense, anchor int, res *geometry.Result) (*plot.Plot, error) {
	if err := check2D(values, anchor, res); err != nil {
		return nil, err
	}
	n, _ := values.Dims()
	rho := res.PerValue[anchor]
	p := New(fmt.Sprintf("Normalised differences of v%s: smallest cap, u*, ρ%s = |p*| = %.3f", Subscript(anchor), Subscript(anchor), rho),
		"x₁ (first coordinate of a difference)", "x₂ (second coordinate)")
	// Unit circle.
	circ := make(plotter.XYs, 241)
	for k := range circ {
		t := 2 * math.Pi * float64(k) / 240
		circ[k] = plotter.XY{X: math.Cos(t), Y: math.Sin(t)}
	}
	cl, _ := plotter.NewLine(circ)
	cl.Color = color.Gray{Y: 170}
	p.Add(cl)
	var as plotter.XYs
	for j := 0; j < n; j++ {
		if j == anchor {
			continue
		}
		dx, dy := values.At(anchor, 0)-values.At(j, 0), values.At(anchor, 1)-values.At(j, 1)
		r := math.Hypot(dx, dy)
		as = append(as, plotter.XY{X: dx / r, Y: dy / r})
	}
	ux, uy := res.Separators.At(anchor, 0), res.Separators.At(anchor, 1)
	if ux != 0 || uy != 0 {
		// Cap: arc of angular radius θ = arccos ρ around u*.
		th := math.Acos(math.Min(1, rho))
		c0 := math.Atan2(uy, ux)
		arc := make(plotter.XYs, 121)
		for k := range arc {
			t := c0 - th + 2*th*float64(k)/120
			arc[k] = plotter.XY{X: math.Cos(t), Y: math.Sin(t)}
		}
		al, _ := plotter.NewLine(arc)
		al.Color = capColor
		al.Width = vg.Points(5)
		p.Add(al)
		p.Legend.Add(fmt.Sprintf("smallest cap (angle %.1f°)", th*180/math.Pi), al)
		// Cap chord: the line ⟨u*, x⟩ = ρ.
		segment(p, math.Cos(c0-th), math.Sin(c0-th), math.Cos(c0+th), math.Sin(c0+th), capColor, 1, true)
		// Hull edge through p* (support points) and the minimum-norm point.
		sup := res.Support[anchor]
		if len(sup) >= 2 {
			var hull plotter.XYs
			for _, j := range sup {
				dx, dy := values.At(anchor, 0)-values.At(j, 0), values.At(anchor, 1)-values.At(j, 1)
				r := math.Hypot(dx, dy)
				hull = append(hull, plotter.XY{X: dx / r, Y: dy / r})
			}
			hl, _ := plotter.NewLine(hull)
			hl.Color = color.Black
			hl.Width = vg.Points(1)
			p.Add(hl)
			p.Legend.Add("active differences (hull face)", hl)
		}
		p.Legend.Add("u*", arrow(p, 0, 0, ux, uy, sepColor, 0.08))
		p.Legend.Add("p* = ρ u*", scatter(p, plotter.XYs{{X: rho * ux, Y: rho * uy}}, anchorColor, draw.CircleGlyph{}, 4))
	}
	p.Legend.Add(differencesLabel(anchor, n), scatter(p, as, color.Black, draw.CircleGlyph{}, 3))
	scatter(p, plotter.XYs{{}}, color.Black, draw.PlusGlyph{}, 4)
	equalAxes(p, -1.25, 1.25, -1.25, 1.25) // after Add, which widens the axes
	PlaceLegend(p)
	return p, nil
}

// RhoSweep plots ρ(V) against a swept parameter (rhosweep.Config.Run), one series
// per label, with error bars over seeds; whitened sweeps add a dashed series
// "<label>, whitened α". logX puts x on a log₂ axis.
func RhoSweep(title, xLabel string, logX bool, labels []string, sweeps [][]rhosweep.Point, alpha float64) (*plot.Plot, error) {
	if len(labels) != len(sweeps) {
		return nil, fmt.Errorf("plots: %d labels for %d sweeps", len(labels), len(sweeps))
	}
	p := New(title, xLabel, "ρ(V)")
	p.Legend.Top = false // curves fall with anisotropy: the bottom-left is free
	if logX {
		Log2X(p)
	}
	p.Y.Min = 0
	for k, sw := range sweeps {
		s := Series{Method: labels[k], Label: labels[k]}
		w := Series{Method: labels[k], Label: fmt.Sprintf("%s, whitened α=%g", labels[k], alpha), Dashed: true}
		for _, pt := range sw {
			s.X = append(s.X, pt.X)
			s.Y = append(s.Y, pt.Rho)
			if pt.RhoWhite != nil {
				w.X = append(w.X, pt.X)
				w.Y = append(w.Y, pt.RhoWhite)
			}
		}
		if err := AddSeries(p, s); err != nil {
			return nil, err
		}
		if len(w.X) > 0 {
			if err := AddSeries(p, w); err != nil {
				return nil, err
			}
		}
	}
	PlaceLegend(p)
	return p, nil
}

// WhiteningSweep plots ρ(W_α V) (left axis) against the whitening strength α
// for sweeps made with param "alpha", one series per label, and adds the
// operator norm ‖W_α‖ to each legend entry at α = 1.
func WhiteningSweep(title string, labels []string, sweeps [][]rhosweep.Point) (*plot.Plot, error) {
	if len(labels) != len(sweeps) {
		return nil, fmt.Errorf("plots: %d labels for %d sweeps", len(labels), len(sweeps))
	}
	p := New(title, "whitening strength α", "ρ of the whitened values")
	p.Y.Min = 0
	for k, sw := range sweeps {
		if len(sw) == 0 {
			return nil, fmt.Errorf("plots: sweep %q is empty", labels[k])
		}
		s := Series{Method: labels[k]}
		var last float64
		for _, pt := range sw {
			if pt.RhoWhite == nil {
				return nil, fmt.Errorf("plots: sweep %q has no whitened ρ; sweep param \"alpha\"", labels[k])
			}
			s.X = append(s.X, pt.X)
			s.Y = append(s.Y, pt.RhoWhite)
			last = stat.Mean(pt.OpNorm, nil)
		}
		s.Label = fmt.Sprintf("%s (‖W‖ = %.3g at α = %g)", labels[k], last, sw[len(sw)-1].X)
		if err := AddSeries(p, s); err != nil {
			return nil, err
		}
	}
	PlaceLegend(p)
	return p, nil
}

// differencesLabel names the normalised differences of the anchor in the
// legend: "a₀₁ … a₀₇" for anchor 0 of 8 values.
func differencesLabel(anchor, n int) string {
	first, last := 0, n-1
	if first == anchor {
		first++
	}
	if last == anchor {
		last--
	}
	return fmt.Sprintf("differences a%s%s … a%s%s", Subscript(anchor), Subscript(first), Subscript(anchor), Subscript(last))
}
