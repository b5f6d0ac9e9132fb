package plots

import (
	"fmt"
	"image/color"

	"github.com/factmlp/factmlp/factmlp/transformer"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// TrainingCurve draws the per-step accuracy of SSFR training runs (one
// series per label; accuracy on each step's fresh batch, smoothed over
// window steps).
func TrainingCurve(title string, labels []string, runs [][]transformer.TrainPoint, window int) (*plot.Plot, error) {
	if len(labels) != len(runs) {
		return nil, fmt.Errorf("plots: %d labels for %d runs", len(labels), len(runs))
	}
	if window < 1 {
		window = 1
	}
	p := New(title, "training step", "accuracy at Q (fresh batch)")
	p.Y.Min, p.Y.Max = 0, 1.02
	p.Legend.Top, p.Legend.Left = false, false
	for i, run := range runs {
		xys := make(plotter.XYs, 0, len(run))
		var sum float64
		for j, pt := range run {
			sum += pt.Accuracy
			if j >= window {
				sum -= run[j-window].Accuracy
			}
			n := min(j+1, window)
			xys = append(xys, plotter.XY{X: float64(pt.Step), Y: sum / float64(n)})
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.Color = seriesColor(labels[i], i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(labels[i], l)
	}
	PlaceLegend(p)
	return p, nil
}

var fallback = []color.Color{
	color.RGBA{R: 31, G: 119, B: 180, A: 255}, color.RGBA{R: 214, G: 39, B: 40, A: 255},
	color.RGBA{R: 44, G: 160, B: 44, A: 255}, color.RGBA{R: 255, G: 127, B: 14, A: 255},
	color.RGBA{R: 148, G: 103, B: 189, A: 255}, color.RGBA{R: 140, G: 86, B: 75, A: 255},
}

func seriesColor(label string, i int) color.Color {
	for _, m := range Methods() {
		if m == label {
			return MethodColor(m)
		}
	}
	return fallback[i%len(fallback)]
}

// UsabilityPoint is one MLP measured inside the Transformer.
type UsabilityPoint struct {
	Label        string  // e.g. "α=0.5"
	Lipschitz    float64 // Lipschitz constant at the keys (max_i ‖J(k_i)‖₂)
	FactAdaptive float64 // fact-adaptive accuracy
	Recall       float64
}

// UsabilityVsLipschitz is the paper's Fig. 5: fact-adaptive accuracy (and
// recall) against the MLP's Lipschitz constant (log x axis), each point
// labelled.
func UsabilityVsLipschitz(title string, pts []UsabilityPoint) (*plot.Plot, error) {
	if len(pts) == 0 {
		return nil, fmt.Errorf("plots: no usability points")
	}
	p := New(title, "MLP Lipschitz constant maxᵢ ‖J(kᵢ)‖₂ (log scale)", "accuracy")
	Log2X(p)
	// Accuracy falls with the Lipschitz constant: the bottom-left corner is free.
	p.Legend.Top, p.Legend.Left = false, true
	fa, rc := make(plotter.XYs, len(pts)), make(plotter.XYs, len(pts))
	labels := make([]string, len(pts))
	for i, q := range pts {
		fa[i] = plotter.XY{X: q.Lipschitz, Y: q.FactAdaptive}
		rc[i] = plotter.XY{X: q.Lipschitz, Y: q.Recall}
		labels[i] = q.Label
	}
	for k, s := range []struct {
		name string
		xys  plotter.XYs
	}{{"fact-adaptive accuracy", fa}, {"recall (trained MLP)", rc}} {
		sc, err := plotter.NewScatter(s.xys)
		if err != nil {
			return nil, err
		}
		sc.Color = fallback[k]
		sc.Radius = vg.Points(4)
		p.Add(sc)
		p.Legend.Add(s.name, sc)
	}
	lo, hi := fa[0].X, fa[0].X
	for _, q := range fa {
		lo, hi = min(lo, q.X), max(hi, q.X)
	}
	p.X.Min, p.X.Max = lo/1.3, hi*1.5 // room for the labels
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: fa, Labels: labels})
	if err != nil {
		return nil, err
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font.Size = vg.Points(8)
		lb.TextStyle[i].XAlign = 0.1
	}
	p.Add(lb)
	PlaceLegend(p)
	return p, nil
}

// WidthUsability is one UsabilityPoint per measured width of each sweep,
// labelled by method (widths without a measurement are left out).
func WidthUsability(sweeps []transformer.MethodWidths) []UsabilityPoint {
	var out []UsabilityPoint
	for _, s := range sweeps {
		for _, q := range s.Points {
			if q.Note == "" {
				out = append(out, UsabilityPoint{Label: s.Method, Lipschitz: q.Lipschitz, FactAdaptive: q.FactAdaptive, Recall: q.Recall})
			}
		}
	}
	return out
}

// UsabilityVsWidth draws fact-adaptive accuracy against MLP parameters per
// method (log₂ x axis), with a dashed vertical line per method at the
// smallest MLP that stores the facts standalone. Widths without a
// measurement are left out.
func UsabilityVsWidth(title string, sweeps []transformer.MethodWidths) (*plot.Plot, error) {
	if len(sweeps) == 0 {
		return nil, fmt.Errorf("plots: no width sweeps")
	}
	p := New(title, "MLP parameters", "fact-adaptive accuracy")
	Log2X(p)
	p.Legend.Top, p.Legend.Left = false, false
	for _, sw := range sweeps {
		m := sw.Method
		xs, ys := []float64{}, []float64{}
		for _, q := range sw.Points {
			if q.Note == "" {
				xs, ys = append(xs, float64(q.Params)), append(ys, q.FactAdaptive)
			}
		}
		s := Points(m, xs, ys)
		s.Label = m + " in the Transformer"
		if err := AddSeries(p, s); err != nil {
			return nil, err
		}
		if sw.StandaloneParams > 0 {
			x := float64(sw.StandaloneParams)
			l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: 1}})
			if err != nil {
				return nil, err
			}
			l.Color = MethodColor(m)
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(l)
			p.Legend.Add(m+" stores alone (min)", l)
		}
	}
	PlaceLegend(p)
	return p, nil
}
