package capacity

import (
	"math"
	"testing"
)

func TestCostRatiosPairBySeed(t *testing.T) {
	rec := func(m string, f int, seed uint64, params int, found bool) Record {
		return Record{Method: m, Family: "spherical", Dim: 8, Facts: f, Seed: seed, Found: found, MinParams: params, MinHidden: params / 24,
			Trials: []Trial{{Hidden: params / 24, Stored: found, Seconds: float64(seed)}}, Seconds: 10}
	}
	recs := []Record{
		rec("a", 16, 1, 480, true), rec("a", 16, 2, 960, true), rec("a", 16, 3, 480, true), rec("a", 32, 1, 480, false),
		rec("b", 16, 2, 240, true), rec("b", 16, 1, 240, true), rec("b", 16, 3, 240, false), rec("b", 32, 1, 240, true),
	}
	rs := CostRatios(recs, "a", "b")
	if len(rs) != 1 || rs[0].Facts != 16 || rs[0].Seeds != 2 {
		t.Fatalf("ratios %+v; want one row for F = 16 over seeds 1, 2", rs)
	}
	if r := rs[0]; math.Abs(r.Mean-math.Sqrt(8)) > 1e-12 || r.Min != 2 || r.Max != 4 {
		t.Fatalf("ratio %+v; want geometric mean √8, min 2, max 4", r)
	}
	if lo, hi := RatioSpan(rs); lo != 2 || hi != 4 {
		t.Fatalf("span %g–%g", lo, hi)
	}
	if n := LargestStored(recs, "a"); n != 16 {
		t.Fatalf("largest stored by a: %d; want 16 (F = 32 failed)", n)
	}
	if n := LargestStored(recs, "b"); n != 32 {
		t.Fatalf("largest stored by b: %d; want 32 (one seed failed at 16, the only seed stored at 32)", n)
	}
	bt := BuildTimes(recs, []string{"a"})
	if len(bt) != 1 || bt[0].Seeds != 3 || bt[0].Min != 1 || bt[0].Max != 3 || bt[0].Mean != 2 || bt[0].Search != 10 {
		t.Fatalf("build times %+v", bt)
	}
}
