package plots

import (
	"fmt"
	"html"
	"math"
	"regexp"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// literalSubscript matches TeX-style subscripts typed as plain text, such as
// "v_0", "a_ij" or "W_α": gonum/plot draws them with the underscore.
var literalSubscript = regexp.MustCompile(`[\pL\pN*)]_[\pL\pN{]`)

// svgText matches the text elements of an SVG that gonum/plot wrote.
var svgText = regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)

// Check lists what makes a figure hard to read, one short sentence per
// problem, or nil when there is none:
//
//   - no title, or an axis without a label;
//   - no data (nothing that has a data range was added);
//   - fewer than two labelled ticks on an axis;
//   - a literal subscript such as "v_0" or "W_α" in any text drawn as plain
//     text (use Unicode subscripts: v₀);
//   - a character the figure font cannot draw (it would show as a box);
//   - an axis label longer than its axis (gonum/plot then shrinks the data
//     area to make room for it);
//   - the legend drawn over data markers.
//
// Figures are checked at the shared size (Width × Height). kernelext.ShowPlot
// runs Check on every figure a notebook shows, and the notebook runner
// fails a notebook whose figures have problems.
func Check(p *plot.Plot) []string {
	if p == nil {
		return []string{"nil plot"}
	}
	var problems []string
	if strings.TrimSpace(p.Title.Text) == "" {
		problems = append(problems, "no title")
	}
	for _, a := range []struct {
		name string
		axis *plot.Axis
	}{{"x", &p.X}, {"y", &p.Y}} {
		if strings.TrimSpace(a.axis.Label.Text) == "" {
			problems = append(problems, fmt.Sprintf("no %s-axis label", a.name))
		}
	}
	if math.IsInf(p.X.Min, 0) || math.IsInf(p.X.Max, 0) || math.IsInf(p.Y.Min, 0) || math.IsInf(p.Y.Max, 0) {
		// plot.New starts every axis at [+Inf, -Inf]; any plotter with a
		// data range narrows it.
		return append(problems, "no data: the plot is empty")
	}
	for _, a := range []struct {
		name string
		axis *plot.Axis
	}{{"x", &p.X}, {"y", &p.Y}} {
		if n := labelledTicks(a.axis); n < 2 {
			problems = append(problems, fmt.Sprintf("%d labelled tick(s) on the %s axis, want at least 2", n, a.name))
		}
	}
	svg, err := Render(p, "svg")
	if err != nil {
		return append(problems, err.Error())
	}
	seen := map[string]bool{}
	for _, m := range svgText.FindAllSubmatch(svg, -1) {
		s := string(m[1])
		if seen[s] {
			continue
		}
		seen[s] = true
		if literalSubscript.MatchString(s) {
			problems = append(problems, fmt.Sprintf("literal subscript in %q: use Unicode subscripts (v₀)", s))
		}
		if miss := missingGlyphs(p.Title.TextStyle, html.UnescapeString(s)); len(miss) > 0 {
			problems = append(problems, fmt.Sprintf("%q has characters the figure font cannot draw: %q", s, string(miss)))
		}
	}
	if name, share := squeezedBy(p); name != "" {
		problems = append(problems, fmt.Sprintf("the %s-axis label is longer than the axis: it squeezes the data area to %.0f %%; shorten it", name, 100*share))
	}
	if n := markersUnderLegend(p); n > 0 {
		problems = append(problems, fmt.Sprintf("the legend covers %d data point(s): move it (p.Legend.Top, p.Legend.Left) or widen the axis range", n))
	}
	return problems
}

// labelledTicks counts the labelled ticks within the axis range.
func labelledTicks(a *plot.Axis) (n int) {
	lo, hi := math.Min(a.Min, a.Max), math.Max(a.Min, a.Max)
	if lo == hi {
		return 0
	}
	if _, log := a.Scale.(plot.LogScale); log && lo <= 0 {
		return 0
	}
	ticks := func() (ts []plot.Tick) {
		defer func() { _ = recover() }() // a Ticker may panic on a range it does not support
		return a.Tick.Marker.Ticks(lo, hi)
	}()
	eps := 1e-9 * (hi - lo)
	for _, t := range ticks {
		if t.Label != "" && t.Value >= lo-eps && t.Value <= hi+eps {
			n++
		}
	}
	return n
}

// markersUnderLegend counts the data points (markers of scatters, vertices
// of lines, error bars, labels: every plot.GlyphBox) that overlap the
// legend's box.
func markersUnderLegend(p *plot.Plot) (n int) {
	defer func() {
		if recover() != nil {
			n = 0 // drawing problems are reported by Render
		}
	}()
	c := margins(draw.New(vgimg.New(Width, Height)))
	// Check a copy: DataCanvas settles the axis ranges in place.
	q := *p
	data := q.DataCanvas(c)
	size := q.Legend.Rectangle(data).Size()
	if size.X <= 0 || size.Y <= 0 {
		return 0 // no legend entries
	}
	// The legend box as plot.Legend.Draw places it inside the data area.
	var box vg.Rectangle
	if q.Legend.Left {
		box.Min.X = data.Min.X + q.Legend.XOffs
	} else {
		box.Min.X = data.Max.X - size.X + q.Legend.XOffs
	}
	if q.Legend.Top {
		box.Min.Y = data.Max.Y - size.Y + q.Legend.YOffs
	} else {
		box.Min.Y = data.Min.Y + q.Legend.YOffs
	}
	box.Max = box.Min.Add(size)
	seen := map[[2]float64]bool{} // a point drawn by a line and its marker counts once
	for _, g := range q.GlyphBoxes(&q) {
		if g.X < 0 || g.X > 1 || g.Y < 0 || g.Y > 1 {
			continue // outside the axis range: not drawn
		}
		pt := vg.Point{X: data.X(g.X), Y: data.Y(g.Y)}
		glyph := g.Rectangle.Add(pt)
		if glyph.Min.X < box.Max.X && box.Min.X < glyph.Max.X && glyph.Min.Y < box.Max.Y && box.Min.Y < glyph.Max.Y && !seen[[2]float64{g.X, g.Y}] {
			seen[[2]float64{g.X, g.Y}] = true
			n++
		}
	}
	return n
}

// missingGlyphs returns the characters of s that the font of sty cannot
// draw (they would show as blank boxes).
func missingGlyphs(sty text.Style, s string) []rune {
	hdlr := sty.Handler
	if hdlr == nil {
		hdlr = plot.DefaultTextHandler
	}
	face := hdlr.Cache().Lookup(sty.Font, sty.Font.Size)
	if face.Face == nil {
		return nil
	}
	var missing []rune
	for _, r := range s {
		if r == ' ' || r == '\n' {
			continue
		}
		if i, err := face.Face.GlyphIndex(nil, r); (err != nil || i == 0) && !slices.Contains(missing, r) {
			missing = append(missing, r)
		}
	}
	return missing
}

// PlaceLegend puts p's legend in a corner of the data area where it covers
// no data point: its current corner if that is free, else the first free one
// of top-left, top-right, bottom-left, bottom-right; when none is free, the
// corner that covers the fewest, and then the y axis grows on the legend's
// side (by up to its whole span) until the legend clears the data. Figure
// builders call it last, after every series is added and the axis ranges
// are set.
func PlaceLegend(p *plot.Plot) {
	if p == nil {
		return
	}
	type corner struct{ top, left bool }
	best, fewest := corner{p.Legend.Top, p.Legend.Left}, markersUnderLegend(p)
	for _, c := range []corner{{true, true}, {true, false}, {false, true}, {false, false}} {
		if fewest == 0 {
			break
		}
		p.Legend.Top, p.Legend.Left = c.top, c.left
		if n := markersUnderLegend(p); n < fewest {
			best, fewest = c, n
		}
	}
	p.Legend.Top, p.Legend.Left = best.top, best.left
	// No free corner: make room above (or below) the data, a tenth of the
	// axis span at a time, at most doubling it.
	for range 10 {
		if fewest == 0 {
			return
		}
		grow(&p.Y, p.Legend.Top)
		fewest = markersUnderLegend(p)
	}
}

// grow widens an axis range by a tenth of its span (in log space on a log
// axis) at the top or the bottom.
func grow(a *plot.Axis, top bool) {
	if _, log := a.Scale.(plot.LogScale); log && a.Min > 0 {
		f := math.Pow(a.Max/a.Min, 0.1)
		if top {
			a.Max *= f
		} else {
			a.Min /= f
		}
		return
	}
	d := 0.1 * (a.Max - a.Min)
	if top {
		a.Max += d
	} else {
		a.Min -= d
	}
}

// squeezedBy names the axis ("x" or "y") whose label shrinks the data area
// by more than a fifth (gonum/plot pads the data area so that an axis label
// fits along it), and the share of the area left; "" when none does.
func squeezedBy(p *plot.Plot) (axis string, share float64) {
	defer func() {
		if recover() != nil {
			axis = "" // drawing problems are reported by Render
		}
	}()
	c := margins(draw.New(vgimg.New(Width, Height)))
	size := func(q plot.Plot) vg.Point { return q.DataCanvas(c).Size() }
	full := size(*p)
	noY, noX := *p, *p
	noY.Y.Label.Text, noX.X.Label.Text = "", ""
	if free := size(noY).Y; free > 0 && full.Y < 0.8*free {
		return "y", float64(full.Y / free)
	}
	if free := size(noX).X; free > 0 && full.X < 0.8*free {
		return "x", float64(full.X / free)
	}
	return "", 1
}
