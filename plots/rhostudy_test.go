package plots

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/capacity"
)

func TestRhoStudyFigures(t *testing.T) {
	var recs []capacity.Record
	var dims []capacity.CodeDim
	for seed := uint64(1); seed <= 3; seed++ {
		for i, beta := range []float64{5, 20, 60} {
			rho := 0.6/float64(i+1) + 0.01*float64(seed)
			m := int(math.Ceil(2 * math.Log(64) / rho / rho))
			recs = append(recs,
				capacity.Record{Method: "encdec-norefine", Family: "spiked", Beta: beta, Seed: seed, Dim: 64, Found: true, Rho: rho, MinParams: 3 * 64 * 2 * m},
				capacity.Record{Method: "ntk", Family: "spiked", Beta: beta, Seed: seed, Dim: 64, Found: false, Rho: rho})
			dims = append(dims, capacity.CodeDim{Family: "spiked", Beta: beta, Seed: seed, Rho: rho, M: min(m, 64), MRefined: min(m, 64) / 2, JL: 2 * math.Log(64) / rho / rho, Dim: 64})
		}
	}
	capped := func(r capacity.Record) bool { return capacity.Capped(r, dims) }
	series := []string{"encdec-norefine", "ntk"}
	fits := capacity.RhoFits(recs, series, capped)
	if fits[0].Err != "" || fits[0].N >= 9 || !strings.Contains(fits[0].Dropped, "spiked β=60") {
		t.Fatalf("the m = d points must be dropped: %+v", fits[0])
	}
	p, err := CostVsRhoStudy(capacity.RhoGroups(recs, series, capped), fits, "test")
	if err != nil {
		t.Fatal(err)
	}
	svg, err := Render(p, "svg")
	if err != nil || !bytes.Contains(svg, []byte("never stored")) {
		t.Fatalf("render: %v (the ntk entry must say it never stored)", err)
	}
	q, err := CodeDimVsRho(dims, "m")
	if err != nil {
		t.Fatal(err)
	}
	if svg, err = Render(q, "svg"); err != nil || !bytes.Contains(svg, []byte("JL prediction")) {
		t.Fatalf("render: %v", err)
	}
	if _, err := CostVsRhoStudy(nil, fits[1:], ""); err == nil {
		t.Fatal("a figure without any uncapped point was drawn")
	}
	if _, err := CodeDimVsRho(nil, ""); err == nil {
		t.Fatal("an empty code-dimension figure was drawn")
	}
}
