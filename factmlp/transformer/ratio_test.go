package transformer

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// ParamRatios pairs points by F and seed, reports per-seed ratios with their
// span, and names the seeds it cannot pair.
func TestParamRatios(t *testing.T) {
	var pts []ScalingPoint
	for _, F := range []int{128, 64} { // not sorted: the rows come out by F
		for seed := uint64(1); seed <= 3; seed++ {
			gd := ScalingPoint{Method: "gd", Facts: F, Seed: seed, MinParams: 100 * F, StandaloneParams: 50 * F}
			h := ScalingPoint{Method: "hebbian-whitened", Facts: F, Seed: seed, MinParams: int(seed) * 100 * F, StandaloneParams: 200 * F}
			if F == 128 && seed == 2 {
				h.MinParams = 0 // capped in the Transformer
			}
			pts = append(pts, gd, h)
		}
	}
	rs, err := ParamRatios(pts, "hebbian-whitened", "gd", InTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Facts != 64 || rs[1].Facts != 128 {
		t.Fatalf("rows %+v; want F = 64 then 128", rs)
	}
	if !reflect.DeepEqual(rs[0].PerSeed, []float64{1, 2, 3}) || rs[0].Min != 1 || rs[0].Max != 3 || math.Abs(rs[0].Geo-math.Cbrt(6)) > 1e-12 {
		t.Errorf("F=64: %+v; want ratios 1, 2, 3, geometric mean 6^(1/3)", rs[0])
	}
	if rs[0].Each != "seed 1: 1.00×, seed 2: 2.00×, seed 3: 3.00×" {
		t.Errorf("F=64 per seed %q", rs[0].Each)
	}
	if !reflect.DeepEqual(rs[1].Seeds, []uint64{1, 3}) || !reflect.DeepEqual(rs[1].Missing, []string{"seed 2"}) || rs[1].N != 2 {
		t.Errorf("F=128: %+v; want seeds 1 and 3, seed 2 left out", rs[1])
	}
	if lo, hi := RatioSpan(rs); lo != 1 || hi != 3 {
		t.Errorf("span %g–%g; want 1–3", lo, hi)
	}
	if in, all := CountWithin(rs, 2); in != 3 || all != 5 {
		t.Errorf("within 2×: %d of %d; want 3 of 5", in, all)
	}
	sa, err := ParamRatios(pts, "hebbian-whitened", "gd", Standalone)
	if err != nil || sa[1].N != 3 || sa[1].Min != 4 || sa[1].Max != 4 {
		t.Errorf("standalone: %+v, %v; want 4× on all three seeds", sa, err)
	}
	if _, err := ParamRatios(pts, "hebbian-whitened", "gd", "inside"); err == nil || !strings.Contains(err.Error(), `"inside"`) {
		t.Errorf("unknown where: err = %v", err)
	}
	if _, err := ParamRatios(pts, "ntk", "gd", InTransformer); err == nil || !strings.Contains(err.Error(), `"ntk"`) {
		t.Errorf("unknown method: err = %v", err)
	}
	if lo, hi := RatioSpan(nil); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("empty span %g–%g; want NaN", lo, hi)
	}
}

func TestWidthRatioSpan(t *testing.T) {
	pts := []ScalingPoint{
		{Method: "gd", Facts: 64, Seed: 1, StandaloneHidden: 10, MinHidden: 12},
		{Method: "gd", Facts: 64, Seed: 2, StandaloneHidden: 10, MinHidden: 0}, // capped
		{Method: "gd", Facts: 128, Seed: 1, StandaloneHidden: 10, MinHidden: 20},
		{Method: "encdec", Facts: 64, Seed: 1, StandaloneHidden: 10, MinHidden: 0},
	}
	rows := ScalingRows(pts)
	lo, hi, capped, seeds := WidthRatioSpan(rows, "gd")
	if lo != 1.2 || hi != 2 || capped != 1 || seeds != 3 {
		t.Errorf("gd: %g–%g, %d of %d capped; want 1.2–2, 1 of 3", lo, hi, capped, seeds)
	}
	lo, hi, capped, seeds = WidthRatioSpan(rows, "encdec")
	if SpanText(lo, hi) != "none (no pair)" || capped != 1 || seeds != 1 {
		t.Errorf("encdec: %s, %d of %d capped; want none, 1 of 1", SpanText(lo, hi), capped, seeds)
	}
	if s := SpanText(1.2, 2); s != "1.20–2.00×" {
		t.Errorf("SpanText %q", s)
	}
}
