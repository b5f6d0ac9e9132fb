package plots

import (
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestCheckFindsProblems(t *testing.T) {
	series := Points("encdec", []float64{1, 2, 3, 4}, []float64{0.2, 0.4, 0.6, 0.8})
	good := New("A clean figure", "x", "y")
	good.Legend.Top = false
	good.Legend.Left = false
	if err := AddSeries(good, series); err != nil {
		t.Fatal(err)
	}
	if probs := Check(good); probs != nil {
		t.Fatalf("clean figure: %q", probs)
	}
	cases := []struct {
		name, want string
		build      func() []string
	}{
		{"no axis labels", "no x-axis label", func() []string {
			p := New("t", "", "")
			_ = AddSeries(p, series)
			return Check(p)
		}},
		{"empty", "no data", func() []string { return Check(New("t", "x", "y")) }},
		{"literal subscript", `literal subscript in "ρ(W_α V)"`, func() []string {
			p := New("t", "x", "ρ(W_α V)")
			_ = AddSeries(p, series)
			return Check(p)
		}},
		{"missing glyph", "cannot draw: \"ⱼ\"", func() []string {
			p := New("t", "aⱼ", "y")
			_ = AddSeries(p, series)
			return Check(p)
		}},
		{"legend over data", "legend covers 1 data point", func() []string {
			p := New("t", "x", "y") // legend top left, over the point (1, 1)
			_ = AddSeries(p, Points("gd", []float64{1, 2, 3, 4}, []float64{1, 0.2, 0.1, 0.05}))
			return Check(p)
		}},
		{"long y label", "the y-axis label is longer than the axis", func() []string {
			p := New("t", "x", strings.Repeat("a long label ", 8))
			_ = AddSeries(p, series)
			return Check(p)
		}},
		{"nil", "nil plot", func() []string { return Check(nil) }},
	}
	for _, c := range cases {
		got := strings.Join(c.build(), "; ")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: problems %q, want one containing %q", c.name, got, c.want)
		}
	}
}

// mustBeReadable fails the test when Check finds a problem in figure p.
func mustBeReadable(t *testing.T, name string, p *plot.Plot) {
	t.Helper()
	if probs := Check(p); probs != nil {
		t.Errorf("figure %s: %s", name, strings.Join(probs, "; "))
	}
}

// PlaceLegend moves a legend off the data: to a free corner, or by growing
// the y axis when every corner is taken.
func TestPlaceLegend(t *testing.T) {
	p := New("t", "x", "y") // top-left legend over the point (1, 1)
	if err := AddSeries(p, Points("gd", []float64{1, 2, 3, 4}, []float64{1, 0.2, 0.1, 0.05})); err != nil {
		t.Fatal(err)
	}
	PlaceLegend(p)
	if probs := Check(p); probs != nil || !p.Legend.Top || p.Legend.Left {
		t.Errorf("free corner: legend top %v left %v, problems %q; want top right, none", p.Legend.Top, p.Legend.Left, probs)
	}
	full := New("t", "x", "y") // a point in every corner
	if err := AddSeries(full, Points("gd", []float64{1, 1, 2, 3, 3}, []float64{1, 0, 0.5, 0, 1})); err != nil {
		t.Fatal(err)
	}
	PlaceLegend(full)
	if probs := Check(full); probs != nil || full.Y.Max <= 1 {
		t.Errorf("every corner taken: y max %g, problems %q; want a larger y range and none", full.Y.Max, probs)
	}
}
