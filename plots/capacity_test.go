package plots

import (
	"bytes"
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/capacity"
)

func synthetic() []capacity.Record {
	var recs []capacity.Record
	for _, f := range []int{64, 128, 256, 512} {
		recs = append(recs,
			capacity.Record{Method: "gd", Family: "spherical", Facts: f, Dim: 32, Found: true, MinParams: 4 * f, Rho: 0.5},
			capacity.Record{Method: "encdec", Family: "spherical", Facts: f, Dim: 32, Found: true, MinParams: int(60 * math.Pow(float64(f), 1.1)), Rho: 0.5})
	}
	for i, k := range []float64{1, 2, 4, 8} {
		rho := 0.5 / float64(i+1)
		recs = append(recs, capacity.Record{Method: "gd", Family: "conditioned", Kappa: k, Facts: 256, Dim: 32, Found: true,
			MinParams: int(1000 * math.Pow(rho, -1)), Rho: rho})
	}
	recs = append(recs, capacity.Record{Method: "ntk", Facts: 1024, Found: false})
	return recs
}

func TestCapacityFigures(t *testing.T) {
	p, fits, err := FactsVsParams(synthetic()[:8], []string{"gd", "encdec", "ntk"}, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fits["gd"].Slope-1) > 1e-9 || math.Abs(fits["encdec"].Slope-1/1.1) > 0.01 {
		t.Fatalf("facts-vs-params slopes %v", fits)
	}
	if _, ok := fits["ntk"]; ok {
		t.Fatal("ntk found nothing and must have no fit")
	}
	mustBeReadable(t, "facts-vs-params", p)
	svg, err := Render(p, "svg")
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("render: %v", err)
	}
	recs := synthetic()
	_, fits, err = CostVsRho(recs[8:], []string{"gd"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if f := fits["gd"]; math.Abs(f.Slope+1) > 0.01 || f.R2 < 0.99 {
		t.Fatalf("cost-vs-ρ fit %v", f)
	}
}
