package editing

import (
	"math"
	"testing"
)

func TestBestBaseline(t *testing.T) {
	res := []Result{
		{Method: Swap, Fraction: 0.1, Metrics: Metrics{Score: 0.9}},
		{Method: MEMIT, Fraction: 0.1, Metrics: Metrics{Score: 0.4}},
		{Method: ROME, Fraction: 0.1, Metrics: Metrics{Score: 0.3}},
		{Method: ROME, Fraction: 0.02, Metrics: Metrics{Score: 0.7}},
	}
	best := BestBaseline(res)
	if len(best) != 2 || best[0.1] != 0.4 || best[0.02] != 0.7 {
		t.Errorf("BestBaseline = %v; want swap left out, 0.4 at 10%% and 0.7 at 2%%", best)
	}
}

func TestBands(t *testing.T) {
	runs := []StudyResult{
		{Results: []Result{{Method: Swap, Fraction: 0.1, Metrics: Metrics{Score: 0.9, Efficacy: 0.5, OffTargetPPLRatio: 1}}, {Method: MEMIT, Fraction: 0.1, Metrics: Metrics{Score: 0.4, OffTargetPPLRatio: 1.2}}}},
		{Results: []Result{{Method: Swap, Fraction: 0.1, Metrics: Metrics{Score: 0.7, OffTargetPPLRatio: 1}}, {Method: MEMIT, Fraction: 0.1, Metrics: Metrics{Score: 0.6, OffTargetPPLRatio: 1.0}}}},
	}
	b := Bands([]string{Swap, MEMIT}, runs)
	if len(b) != 2 || b[0].Method != Swap || b[0].Seeds != 2 || b[0].Min != 0.7 || b[0].Max != 0.9 || math.Abs(b[0].Mean-0.8) > 1e-12 {
		t.Fatalf("swap band %+v", b)
	}
	if math.Abs(b[0].RatioToBest-1.6) > 1e-12 || b[1].RatioToBest != 0 || math.Abs(b[1].PPLRatioMean-1.1) > 1e-12 || b[0].EfficacyMean != 0.25 {
		t.Fatalf("ratio %v (want 1.6), memit %+v", b[0].RatioToBest, b[1])
	}
	s := Study{SplitSeed: 42}.WithSeed(3)
	if s.Base.Seed != 3 || s.SplitSeed != 45 {
		t.Fatalf("WithSeed(3): %+v", s)
	}
}

func TestGridSizes(t *testing.T) {
	g := SuccessorSubsetGrid()
	for m, want := range map[string]int{MEMIT: 48, AlphaEdit: 24, ROME: 16} {
		if n := len(g.points(m)); n != want {
			t.Errorf("%s: %d settings; want %d", m, n, want)
		}
	}
}
