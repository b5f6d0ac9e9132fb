package plots

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/factmlp/factmlp/factmlp/fit"
	"github.com/factmlp/factmlp/factmlp/transformer"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// alphaGlyphs mark the whitening strengths α of a LipschitzStudy, in
// increasing order.
var alphaGlyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}}

// studyKeys lists the fact sets (in first-seen order) and the sorted α of pts.
func studyKeys(pts []transformer.LipschitzPoint) (sets []string, alphas []float64) {
	seenS, seenA := map[string]bool{}, map[float64]bool{}
	for _, p := range pts {
		if !seenS[p.FactSet] {
			seenS[p.FactSet] = true
			sets = append(sets, p.FactSet)
		}
		if !seenA[p.Alpha] {
			seenA[p.Alpha] = true
			alphas = append(alphas, p.Alpha)
		}
	}
	sort.Float64s(alphas)
	return
}

// markerKeys lists the marker labels of pts: "α = …" for the whitened
// encoder–decoder's points (Method empty or "encdec"), by increasing α,
// then the other methods' names in first-seen order.
func markerKeys(pts []transformer.LipschitzPoint) []string {
	var encdec []transformer.LipschitzPoint
	var methods []string
	for _, p := range pts {
		if p.Method == "" || p.Method == "encdec" {
			encdec = append(encdec, p)
		} else if !slices.Contains(methods, p.Method) {
			methods = append(methods, p.Method)
		}
	}
	var keys []string
	if len(encdec) > 0 {
		_, alphas := studyKeys(encdec)
		for _, a := range alphas {
			keys = append(keys, alphaLabel(a))
		}
	}
	return append(keys, methods...)
}

func alphaLabel(a float64) string { return fmt.Sprintf("α = %.2g", a) }

// markerOf is p's marker label (markerKeys).
func markerOf(p transformer.LipschitzPoint) string {
	if p.Method == "" || p.Method == "encdec" {
		return alphaLabel(p.Alpha)
	}
	return p.Method
}

// UsabilityVsLipschitzMeasure is the paper's Fig. 5 for one Lipschitz
// measure m: the fact-adaptive accuracy of every measured point of a
// LipschitzStudy against m (log₂ x axis), colour by fact set, marker by α
// (the whitened encoder–decoder) or by method (LipschitzStudy.Methods),
// with the Spearman correlation in the title (NaN, and the reason in the
// title, when the points cannot define it). Points with a Note are left out.
func UsabilityVsLipschitzMeasure(title string, pts []transformer.LipschitzPoint, m transformer.LipschitzMeasure) (*plot.Plot, fit.Rank, error) {
	var ok []transformer.LipschitzPoint
	for _, p := range pts {
		if p.Note == "" {
			ok = append(ok, p)
		}
	}
	if len(ok) == 0 {
		return nil, fit.Rank{}, fmt.Errorf("plots: no measured Lipschitz-study points")
	}
	xs, ys := make([]float64, len(ok)), make([]float64, len(ok))
	for i, p := range ok {
		xs[i], ys[i] = m.Of(p), p.FactAdaptive
		if !(xs[i] > 0) {
			return nil, fit.Rank{}, fmt.Errorf("plots: %s of point %d is %g; a log axis needs it > 0", m.Name, i, xs[i])
		}
	}
	rank, err := fit.Spearman(xs, ys)
	sub := rank.String()
	if err != nil {
		// Too few points or a constant sample: plot them, say why there is no ρ.
		rank = fit.Rank{Rho: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN(), N: len(xs)}
		sub = "no rank correlation: " + err.Error()
	}
	p := New(fmt.Sprintf("%s\n%s", title, sub), m.Name+" (log scale)", "fact-adaptive accuracy")
	Log2X(p)
	// Accuracy falls as the Lipschitz constant grows: the bottom left is free.
	p.Legend.Top, p.Legend.Left = false, true
	sets, _ := studyKeys(ok)
	marks := markerKeys(ok)
	if len(marks) > len(alphaGlyphs) {
		return nil, rank, fmt.Errorf("plots: %d whitening strengths and methods; at most %d markers", len(marks), len(alphaGlyphs))
	}
	for si, s := range sets {
		for ai, a := range marks {
			var xy plotter.XYs
			for i, q := range ok {
				if q.FactSet == s && markerOf(q) == a {
					xy = append(xy, plotter.XY{X: xs[i], Y: ys[i]})
				}
			}
			if len(xy) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, rank, err
			}
			sc.Color, sc.Shape, sc.Radius = extraColors[si%len(extraColors)], alphaGlyphs[ai], vg.Points(3.5)
			p.Add(sc)
		}
	}
	for si, s := range sets {
		sc, _ := plotter.NewScatter(plotter.XYs{{}})
		sc.Color, sc.Shape, sc.Radius = extraColors[si%len(extraColors)], draw.CircleGlyph{}, vg.Points(3.5)
		p.Legend.Add(s, sc)
	}
	for ai, a := range marks {
		sc, _ := plotter.NewScatter(plotter.XYs{{}})
		sc.Shape, sc.Radius = alphaGlyphs[ai], vg.Points(3.5)
		p.Legend.Add(a, sc)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	// Room on the left for the legend.
	p.X.Min, p.X.Max = lo/math.Pow(hi/lo, 0.6)/1.1, hi*1.1
	p.Y.Max = 1.02
	return p, rank, nil
}

// WhiteningVsAlpha draws, per fact set, the mean over seeds of y(point)
// against the whitening strength α with min–max bars over seeds (points
// with a Note left out): the capacity side (standalone minimum parameters)
// or the usability side (fact-adaptive accuracy) of the trade-off.
func WhiteningVsAlpha(title, yLabel string, pts []transformer.LipschitzPoint, y func(transformer.LipschitzPoint) float64) (*plot.Plot, error) {
	sets, alphas := studyKeys(pts)
	if len(sets) == 0 {
		return nil, fmt.Errorf("plots: no Lipschitz-study points")
	}
	p := New(title+"\n(mean over seeds; bars: min–max)", "whitening strength α", yLabel)
	// Both quantities are ≥ 0 and sit well above 0 at α = 0: the bottom
	// left holds the legend.
	p.Legend.Top, p.Legend.Left = false, true
	p.Y.Min = 0
	for si, s := range sets {
		var d meanErr
		for _, a := range alphas {
			var v []float64
			for _, q := range pts {
				if q.FactSet == s && q.Alpha == a && q.Note == "" {
					v = append(v, y(q))
				}
			}
			if len(v) == 0 {
				continue
			}
			lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
			for _, x := range v {
				lo, hi, sum = math.Min(lo, x), math.Max(hi, x), sum+x
			}
			m := sum / float64(len(v))
			d.XYs = append(d.XYs, plotter.XY{X: a, Y: m})
			d.YErrors = append(d.YErrors, struct{ Low, High float64 }{m - lo, hi - m})
		}
		if len(d.XYs) == 0 {
			continue
		}
		line, marks, err := plotter.NewLinePoints(d.XYs)
		if err != nil {
			return nil, err
		}
		c := extraColors[si%len(extraColors)]
		line.Color, marks.Color, marks.Radius = c, c, vg.Points(2.8)
		line.Width = vg.Points(1.6)
		eb, err := plotter.NewYErrorBars(d)
		if err != nil {
			return nil, err
		}
		eb.Color, eb.CapWidth = c, vg.Points(4)
		p.Add(line, marks, eb)
		p.Legend.Add(s, line, marks)
	}
	p.Y.Max *= 1.05
	PlaceLegend(p)
	return p, nil
}
