package editing

import "testing"

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
