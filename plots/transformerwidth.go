package plots

import (
	"fmt"
	"maps"
	"slices"
	"strings"

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

// WidthSearch names one (method, F) of a scaling study with the widths its
// searches tried, ascending, and Initial, the index of the first seed's
// smallest passing width among them (0 when that search passed nowhere).
type WidthSearch struct {
	Method  string
	Facts   int
	Widths  []int
	Initial int
}

// WidthSearches lists every (method, F) of pts that has a measured trial,
// in the order the points come (a scaling study's: method-major, F
// ascending).
func WidthSearches(pts []transformer.ScalingPoint) []WidthSearch {
	var out []WidthSearch
	for _, p := range pts {
		if slices.ContainsFunc(out, func(s WidthSearch) bool { return s.Method == p.Method && s.Facts == p.Facts }) {
			continue
		}
		ws := TransformerWidths(pts, p.Method, p.Facts)
		if len(ws) == 0 {
			continue
		}
		out = append(out, WidthSearch{Method: p.Method, Facts: p.Facts, Widths: ws, Initial: max(0, slices.Index(ws, p.MinHidden))})
	}
	return out
}

// Markdown reads the reading in one paragraph: the chosen width, each
// seed's recall and fact-adaptive accuracy there, and where each seed's
// searches ended.
func (r WidthReading) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s, F = %d, fact-MLP width %d.**", r.Method, r.Facts, r.Hidden)
	for _, t := range r.Trials {
		verdict := "below"
		if t.Passed {
			verdict = "passes"
		}
		fmt.Fprintf(&b, " Seed %d: recall **%.2f%%**, fact-adaptive **%.2f%%** (%s the threshold %g) after %d steps.",
			t.Seed, 100*t.Recall, 100*t.FactAdaptive, verdict, r.Threshold, t.Steps)
	}
	if len(r.Untried) > 0 {
		fmt.Fprintf(&b, " Seeds %v did not train this width.", r.Untried)
	}
	seeds := slices.Sorted(maps.Keys(r.Standalone))
	var alone, inT []string
	for _, s := range seeds {
		alone = append(alone, fmt.Sprint(r.Standalone[s]))
		m := "none"
		if r.Minimum[s] > 0 {
			m = fmt.Sprint(r.Minimum[s])
		}
		inT = append(inT, m)
	}
	fmt.Fprintf(&b, " Smallest width per seed (%v): standalone %s; in the Transformer %s.", seeds, strings.Join(alone, ", "), strings.Join(inT, ", "))
	return b.String()
}
