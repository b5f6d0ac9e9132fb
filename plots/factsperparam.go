package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"github.com/factmlp/factmlp/factmlp/capacity"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FactsPerParam draws the paper's Fig. 3 at one dimension from a sweep's
// records: facts F (y) against the smallest parameter count that stores them
// (x, every stored matrix counted), log–log, one marker per F at the mean
// over seeds with a min–max bar, and each fit of fits at this dimension
// (capacity.FitFactsPerParam, all-stored count) as a dashed line over the
// F it fitted. Capped points (capacity.Record.Capped) are drawn as open
// grey-edged rings and never fitted.
func FactsPerParam(recs []capacity.Record, methods []string, fits []capacity.ScalingFit, dim int, title string) (*plot.Plot, error) {
	p := NewLogLog(title, "parameters (smallest MLP that stores every fact)", "facts F")
	anyCapped := false
	for _, m := range methods {
		var open, capped minMax
		for _, r := range capacity.Select(recs, m) {
			if r.Dim != dim {
				continue
			}
			if r.Capped() != "" {
				capped.add(float64(r.Facts), float64(r.MinParams))
			} else {
				open.add(float64(r.Facts), float64(r.MinParams))
			}
		}
		if len(open.keys) > 0 {
			if err := open.drawX(p, m, m, false); err != nil {
				return nil, err
			}
		}
		if len(capped.keys) > 0 {
			anyCapped = true
			if err := capped.drawX(p, m, "", true); err != nil {
				return nil, err
			}
		}
		i := slices.IndexFunc(fits, func(f capacity.ScalingFit) bool {
			return f.Method == m && f.Dim == dim && f.Count == capacity.AllStored && f.Err == ""
		})
		if i < 0 {
			continue
		}
		f := fits[i]
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, r := range f.Points {
			lo, hi = math.Min(lo, float64(r.MinParams)), math.Max(hi, float64(r.MinParams))
		}
		const n = 16
		xys := make(plotter.XYs, n)
		for k := range xys {
			x := math.Exp2(math.Log2(lo) + (math.Log2(hi)-math.Log2(lo))*float64(k)/(n-1))
			xys[k] = plotter.XY{X: x, Y: f.Power(x)}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width, l.Dashes = MethodColor(m), vg.Points(1), []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s fit: slope %.2f [%.2f, %.2f]", m, f.Slope, f.CILow, f.CIHigh), l)
	}
	if anyCapped {
		ring := capMarker(color.Gray{Y: 80})
		s, _ := plotter.NewScatter(plotter.XYs{})
		s.GlyphStyle = ring
		p.Legend.Add("capped (not fitted)", s)
	}
	// Two octaves of headroom above the data keep the legend off the points.
	p.Legend.Top, p.Legend.Left = true, true
	p.Y.Max *= 4
	PlaceLegend(p)
	return p, nil
}

// BitsPerParam draws bits per parameter, F·log₂|V| / params, against F
// (log–log) for every method and dimension: solid lines for the first
// dimension, dashed for the others, markers at the mean over seeds with
// min–max bars. Capped points are open rings.
func BitsPerParam(recs []capacity.Record, methods []string, title string) (*plot.Plot, error) {
	p := NewLogLog(title, "facts F", "bits per parameter (all stored)")
	dims := capacity.Dims(recs)
	for _, m := range methods {
		for k, d := range dims {
			var open, capped minMax
			for _, r := range capacity.Select(recs, m) {
				if r.Dim != d {
					continue
				}
				if r.Capped() != "" {
					capped.add(float64(r.Facts), r.BitsPerParam(capacity.AllStored))
				} else {
					open.add(float64(r.Facts), r.BitsPerParam(capacity.AllStored))
				}
			}
			label := fmt.Sprintf("%s d=%d", m, d)
			if len(open.keys) > 0 {
				if err := open.drawY(p, m, label, k > 0, false); err != nil {
					return nil, err
				}
			}
			if len(capped.keys) > 0 {
				if err := capped.drawY(p, m, "", k > 0, true); err != nil {
					return nil, err
				}
			}
		}
	}
	p.Legend.Top, p.Legend.Left = false, false
	p.Y.Min /= 4 // room for the legend below the data
	PlaceLegend(p)
	return p, nil
}

// CostRatio draws method's cost over versus's per seed (geometric mean
// over seeds, min–max bar) against F for each dimension, for both
// parameter counts (solid: all stored; dashed: without seeded matrices).
// Fact sets where either point is capped are open rings.
func CostRatio(recs []capacity.Record, method, versus, title string) (*plot.Plot, error) {
	p := NewLogLog(title, "facts F", fmt.Sprintf("params(%s) / params(%s)", method, versus))
	colors := []color.Color{MethodColor(method), MethodColor("bound"), MethodColor("lstsq")}
	for k, d := range capacity.Dims(recs) {
		for _, c := range []capacity.ParamCount{capacity.AllStored, capacity.WithoutSeeded} {
			var open, capped minMax
			for _, r := range capacity.CostRatiosCounted(recs, method, versus, c) {
				if r.Dim != d {
					continue
				}
				target := &open
				if r.Capped != "" {
					target = &capped
				}
				target.addSpan(float64(r.Facts), r.Mean, r.Min, r.Max)
			}
			dashed := c == capacity.WithoutSeeded
			label := fmt.Sprintf("d=%d, %s", d, c)
			col := colors[k%len(colors)]
			if len(open.keys) > 0 {
				if err := open.drawYColor(p, col, MethodGlyph(method), label, dashed, false); err != nil {
					return nil, err
				}
			}
			if len(capped.keys) > 0 {
				if err := capped.drawYColor(p, col, MethodGlyph(method), "", dashed, true); err != nil {
					return nil, err
				}
			}
		}
	}
	p.Legend.Top, p.Legend.Left = false, false
	p.Y.Min /= 4 // room for the legend below the data
	PlaceLegend(p)
	return p, nil
}

// minMax collects values per key (F) and draws them at their mean (or a
// given centre) with min–max bars.
type minMax struct {
	keys              []float64
	vals              map[float64][]float64
	centre, low, high map[float64]float64
}

func (s *minMax) add(key, v float64) {
	if s.vals == nil {
		s.vals = map[float64][]float64{}
	}
	if _, ok := s.vals[key]; !ok {
		s.keys = append(s.keys, key)
	}
	s.vals[key] = append(s.vals[key], v)
}

// addSpan records a precomputed centre and span (e.g. a geometric mean).
func (s *minMax) addSpan(key, centre, lo, hi float64) {
	if s.centre == nil {
		s.centre, s.low, s.high = map[float64]float64{}, map[float64]float64{}, map[float64]float64{}
	}
	s.keys = append(s.keys, key)
	s.centre[key], s.low[key], s.high[key] = centre, lo, hi
}

// points returns, sorted by key, (key, centre, centre−min, max−centre).
func (s *minMax) points() (keys, centre, below, above []float64) {
	ks := slices.Clone(s.keys)
	slices.Sort(ks)
	for _, k := range ks {
		var c, lo, hi float64
		if s.centre != nil {
			c, lo, hi = s.centre[k], s.low[k], s.high[k]
		} else {
			v := s.vals[k]
			sum := 0.0
			for _, x := range v {
				sum += x
			}
			c, lo, hi = sum/float64(len(v)), slices.Min(v), slices.Max(v)
		}
		keys, centre, below, above = append(keys, k), append(centre, c), append(below, c-lo), append(above, hi-c)
	}
	return keys, centre, below, above
}

type xyErrs struct {
	plotter.XYs
	plotter.XErrors
	plotter.YErrors
}

// drawX draws keys on y and values on x (Fig. 3's axes) with x error bars.
func (s *minMax) drawX(p *plot.Plot, method, label string, capped bool) error {
	keys, centre, below, above := s.points()
	var d xyErrs
	for i := range keys {
		d.XYs = append(d.XYs, plotter.XY{X: centre[i], Y: keys[i]})
		d.XErrors = append(d.XErrors, struct{ Low, High float64 }{below[i], above[i]})
	}
	return addMarked(p, d, MethodColor(method), MethodGlyph(method), label, false, capped, true)
}

// drawY draws keys on x and values on y with y error bars.
func (s *minMax) drawY(p *plot.Plot, method, label string, dashed, capped bool) error {
	return s.drawYColor(p, MethodColor(method), MethodGlyph(method), label, dashed, capped)
}

func (s *minMax) drawYColor(p *plot.Plot, c color.Color, g draw.GlyphDrawer, label string, dashed, capped bool) error {
	keys, centre, below, above := s.points()
	var d xyErrs
	for i := range keys {
		d.XYs = append(d.XYs, plotter.XY{X: keys[i], Y: centre[i]})
		d.YErrors = append(d.YErrors, struct{ Low, High float64 }{below[i], above[i]})
	}
	return addMarked(p, d, c, g, label, dashed, capped, false)
}

// addMarked draws d: a line with markers (uncapped) or open rings without a
// line (capped), and its error bars along x (alongX) or y.
func addMarked(p *plot.Plot, d xyErrs, c color.Color, g draw.GlyphDrawer, label string, dashed, capped, alongX bool) error {
	if capped {
		s, err := plotter.NewScatter(d.XYs)
		if err != nil {
			return err
		}
		s.GlyphStyle = capMarker(c)
		p.Add(s)
	} else {
		line, pts, err := plotter.NewLinePoints(d.XYs)
		if err != nil {
			return err
		}
		line.Color, line.Width = c, vg.Points(1.6)
		if dashed {
			line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		pts.Color, pts.Shape, pts.Radius = c, g, vg.Points(2.8)
		p.Add(line, pts)
		if label != "" {
			p.Legend.Add(label, line, pts)
		}
	}
	if alongX {
		eb, err := plotter.NewXErrorBars(d)
		if err != nil {
			return err
		}
		eb.Color, eb.CapWidth = c, vg.Points(4)
		p.Add(eb)
		return nil
	}
	eb, err := plotter.NewYErrorBars(d)
	if err != nil {
		return err
	}
	eb.Color, eb.CapWidth = c, vg.Points(4)
	p.Add(eb)
	return nil
}

func capMarker(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(4), Shape: draw.RingGlyph{}}
}
