package plots

import (
	"fmt"
	"slices"

	"github.com/factmlp/factmlp/factmlp/transformer"
	"gonum.org/v1/plot"
)

// WidthTrial is one fact-MLP width the Transformer was trained with in a
// width search (transformer.ScalingStudy): recall of the trained map and
// fact-adaptive accuracy with a fresh MLP of the same width swapped in.
type WidthTrial struct {
	Seed         uint64  `table:"seed"`
	Hidden       int     `table:"MLP width"`
	Params       int     `table:"MLP params"`
	Recall       float64 `table:"recall"`
	FactAdaptive float64 `table:"fact-adaptive"`
	Steps        int     `table:"steps"`
	Passed       bool    `table:"passes"`
}

// WidthReading is what TransformerWidthAt marks at the chosen width.
type WidthReading struct {
	Method     string
	Facts      int
	Hidden     int
	Threshold  float64
	Trials     []WidthTrial   // the seeds that trained this width
	Standalone map[uint64]int // each seed's smallest standalone width
	Minimum    map[uint64]int // each seed's smallest passing width in the Transformer (0: none)
	Untried    []uint64       // seeds whose search skipped this width
}

// TransformerWidths lists, ascending, the fact-MLP widths at which the
// Transformer was trained (with a measurement) for method at F facts, over
// every seed of a scaling study.
func TransformerWidths(pts []transformer.ScalingPoint, method string, facts int) []int {
	var ws []int
	for _, p := range pts {
		if p.Method != method || p.Facts != facts {
			continue
		}
		for _, t := range p.Trials {
			if t.Note == "" {
				ws = append(ws, t.Hidden)
			}
		}
	}
	slices.Sort(ws)
	return slices.Compact(ws)
}

// TransformerWidthAt draws, for method at F facts, the Transformer's
// recall (solid) and fact-adaptive accuracy (dashed) at every width its
// searches tried, one colour per seed, with the threshold and a vertical
// line at hidden, one of TransformerWidths. It returns the figure and the
// readings at hidden. Notebook 05's width slider redraws it.
func TransformerWidthAt(pts []transformer.ScalingPoint, method string, facts, hidden int) (*plot.Plot, WidthReading, error) {
	r := WidthReading{Method: method, Facts: facts, Hidden: hidden, Standalone: map[uint64]int{}, Minimum: map[uint64]int{}}
	if !slices.Contains(TransformerWidths(pts, method, facts), hidden) {
		return nil, r, fmt.Errorf("plots: TransformerWidthAt: no trial of %s at F = %d with width %d; accepted: %v", method, facts, hidden, TransformerWidths(pts, method, facts))
	}
	p := New(fmt.Sprintf("Transformer with a frozen %s MLP, F = %d", method, facts), "fact-MLP width (hidden units)", "accuracy at Q")
	p.Y.Min, p.Y.Max = 0, 1.05
	lo, hi := hidden, hidden
	for _, pt := range pts {
		if pt.Method != method || pt.Facts != facts {
			continue
		}
		r.Threshold = pt.Threshold
		r.Standalone[pt.Seed], r.Minimum[pt.Seed] = pt.StandaloneHidden, pt.MinHidden
		trials := slices.Clone(pt.Trials)
		slices.SortFunc(trials, func(a, b transformer.CapacityTrial) int { return a.Hidden - b.Hidden })
		var xs, rec, fad []float64
		tried := false
		for _, t := range trials {
			if t.Note != "" {
				continue
			}
			xs, rec, fad = append(xs, float64(t.Hidden)), append(rec, t.Recall), append(fad, t.FactAdaptive)
			lo, hi = min(lo, t.Hidden), max(hi, t.Hidden)
			if t.Hidden == hidden && !tried {
				tried = true
				r.Trials = append(r.Trials, WidthTrial{pt.Seed, t.Hidden, t.Params, t.Recall, t.FactAdaptive, t.Steps, t.Passed})
			}
		}
		if !tried {
			r.Untried = append(r.Untried, pt.Seed)
		}
		if len(xs) == 0 {
			continue
		}
		name := fmt.Sprintf("seed %d", pt.Seed)
		s := Points(name, xs, rec)
		s.Label = name + " recall"
		if err := AddSeries(p, s); err != nil {
			return nil, r, err
		}
		s = Points(name, xs, fad)
		s.Label, s.Dashed = name+" fact-adaptive", true
		if err := AddSeries(p, s); err != nil {
			return nil, r, err
		}
	}
	if r.Threshold > 0 {
		p.Legend.Add(fmt.Sprintf("threshold %g", r.Threshold), segment(p, float64(lo), r.Threshold, float64(hi), r.Threshold, MethodColor("bound"), 1, true))
	}
	x := float64(hidden)
	p.Legend.Add("chosen width", segment(p, x, 0, x, 1.05, MethodColor("chosen"), 1.5, false))
	PlaceLegend(p)
	return p, r, nil
}
