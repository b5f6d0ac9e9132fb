package plots

import (
	"bytes"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/capacity"
	"gonum.org/v1/plot"
)

// fig3Records: gd and encdec at two dimensions and two seeds; encdec's
// largest F at d = 16 has m = d (capped).
func fig3Records() []capacity.Record {
	var recs []capacity.Record
	for _, d := range []int{16, 32} {
		for _, s := range []uint64{1, 2} {
			for _, f := range []int{4 * d, 8 * d, 16 * d} {
				h := f/8 + int(s)
				m := f / 16 // reaches d = 16 at F = 256
				if d == 32 {
					m = f / 64
				}
				recs = append(recs,
					capacity.Record{Method: "gd", Family: "spherical", Facts: f, Values: f, Dim: d, Seed: s, Found: true,
						MinHidden: h, MinParams: 3 * h * d, ParamsWithoutSeeded: 3 * h * d, MaxHidden: 1 << 16},
					capacity.Record{Method: "encdec", Family: "spherical", Facts: f, Values: f, Dim: d, Seed: s, Found: true,
						MinHidden: 8 * h, MinParams: 24 * h * d, ParamsWithoutSeeded: 8 * h * d, CodeDim: m, MaxHidden: 1 << 16})
			}
		}
	}
	return recs
}

// legendText is the SVG of p, whose text elements include the legend's.
func legendText(t *testing.T, p *plot.Plot) string {
	svg, err := Render(p, "svg")
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("render %q: %v", p.Title.Text, err)
	}
	return string(svg)
}

func TestFactsPerParamFigures(t *testing.T) {
	recs := fig3Records()
	methods := []string{"gd", "encdec"}
	fits, err := capacity.FitFactsPerParam(recs, methods, 4)
	if err != nil {
		t.Fatal(err)
	}
	p, err := FactsPerParam(recs, methods, fits, 16, "d = 16")
	if err != nil {
		t.Fatal(err)
	}
	leg := legendText(t, p)
	for _, want := range []string{"gd fit: slope", "encdec fit: slope", "capped (not fitted)"} {
		if !strings.Contains(leg, want) {
			t.Errorf("d = 16 legend lacks %q:\n%s", want, leg)
		}
	}
	p32, err := FactsPerParam(recs, methods, fits, 32, "d = 32")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(legendText(t, p32), "capped") {
		t.Errorf("d = 32 has no capped point but its legend names one:\n%s", legendText(t, p32))
	}
	bits, err := BitsPerParam(recs, methods, "bits")
	if err != nil {
		t.Fatal(err)
	}
	if leg := legendText(t, bits); strings.Count(leg, ">gd d=")+strings.Count(leg, ">encdec d=") != 4 {
		t.Errorf("bits legend should have 2 methods × 2 dims:\n%s", leg)
	}
	ratio, err := CostRatio(recs, "encdec", "gd", "ratio")
	if err != nil {
		t.Fatal(err)
	}
	if leg := legendText(t, ratio); !strings.Contains(leg, "d=32, without seeded") || !strings.Contains(leg, "d=16, all stored") {
		t.Errorf("ratio legend:\n%s", leg)
	}
}
