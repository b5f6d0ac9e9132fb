package capacity

import (
	"math"
	"strings"
	"testing"
)

// rec is a found record of a tied fact set (|V| = F) at width h: 3·h·d
// parameters, a third of them unseeded when the method seeds two matrices.
func rec(method string, d, facts int, seed uint64, h, codeDim int) Record {
	r := Record{Method: method, Family: "spherical", Facts: facts, Values: facts, Dim: d, Seed: seed, Found: true,
		MinHidden: h, MinParams: 3 * h * d, ParamsWithoutSeeded: 3 * h * d, CodeDim: codeDim, MaxHidden: 1 << 16}
	if codeDim > 0 {
		r.ParamsWithoutSeeded = h * d
	}
	return r
}

func TestCapped(t *testing.T) {
	for _, c := range []struct {
		r    Record
		want string
	}{
		{rec("gd", 32, 256, 1, 10, 0), ""},
		{rec("encdec", 32, 256, 1, 100, 31), ""},
		{rec("encdec", 32, 2048, 1, 2000, 32), "code dimension m = d = 32"},
		{rec("ntk", 32, 256, 1, 1<<16, 0), "width at the search limit 65536"},
		{Record{Method: "ntk", Dim: 32, Facts: 512, MaxHidden: 16384}, "no width ≤ 16384 stores"},
		{Record{Method: "ntk", Dim: 32, Facts: 512}, "no width stores"},
	} {
		if got := c.r.Capped(); got != c.want {
			t.Errorf("%s F=%d m=%d h=%d found=%v: Capped() = %q, want %q", c.r.Method, c.r.Facts, c.r.CodeDim, c.r.MinHidden, c.r.Found, got, c.want)
		}
	}
}

func TestBitsPerParam(t *testing.T) {
	r := rec("encdec", 32, 1024, 1, 100, 20) // 9600 params, 3200 unseeded, 1024·10 bits
	if got := r.BitsPerParam(AllStored); math.Abs(got-10240.0/9600) > 1e-12 {
		t.Errorf("all stored: %g bits/param, want %g", got, 10240.0/9600)
	}
	if got := r.BitsPerParam(WithoutSeeded); math.Abs(got-10240.0/3200) > 1e-12 {
		t.Errorf("without seeded: %g bits/param, want %g", got, 10240.0/3200)
	}
	if got := (Record{Facts: 8, Values: 8}).BitsPerParam(AllStored); got != 0 {
		t.Errorf("not stored: %g bits/param, want 0", got)
	}
}

// A method whose params double when F doubles has slope 1 exactly; the
// capped and the small points are left out and named.
func TestFitFactsPerParam(t *testing.T) {
	var recs []Record
	for _, s := range []uint64{1, 2, 3} {
		for _, f := range []int{64, 128, 256, 512} {
			recs = append(recs, rec("gd", 32, f, s, f/8, 0), rec("encdec", 32, f, s, f, 16))
		}
		recs = append(recs, rec("encdec", 32, 1024, s, 4096, 32)) // m = d: capped
	}
	fits, err := FitFactsPerParam(recs, []string{"gd", "encdec"}, 4, AllStored, WithoutSeeded)
	if err != nil {
		t.Fatal(err)
	}
	if len(fits) != 4 {
		t.Fatalf("%d fits, want 2 methods × 2 counts", len(fits))
	}
	for _, f := range fits {
		if f.Err != "" || math.Abs(f.Slope-1) > 1e-9 || f.N != 9 || f.Facts != "128…512" {
			t.Errorf("%s %s: %+v; want slope 1 on 9 points F = 128…512", f.Method, f.Count, f)
		}
		if !strings.Contains(f.Left, "3 below F = 128") {
			t.Errorf("%s: left out %q, want the 3 points below F = 4d named", f.Method, f.Left)
		}
		if f.Method == "encdec" && !strings.Contains(f.Left, "F=1024 (3 seeds): code dimension m = d = 32") {
			t.Errorf("encdec: left out %q, want the capped F = 1024 named", f.Left)
		}
	}
	if f, ok := FitOf(fits, "encdec", 32, WithoutSeeded); !ok || f.Method != "encdec" || f.Count != WithoutSeeded {
		t.Errorf("FitOf(encdec, 32, without seeded) = %+v, %v", f, ok)
	}
	if _, ok := FitOf(fits, "encdec", 64, AllStored); ok {
		t.Error("FitOf found a fit at a dimension that was not swept")
	}
	// The unseeded count moves encdec's line, not its slope: a third of the params.
	if a, b := fits[1].Intercept, fits[3].Intercept; math.Abs(b-a-math.Log2(3)) > 1e-9 {
		t.Errorf("encdec intercepts %g (all) and %g (unseeded), want a difference of log₂ 3", a, b)
	}
	if _, err := FitFactsPerParam(recs, []string{"gd"}, 4, "some"); err == nil || !strings.Contains(err.Error(), `"some"`) {
		t.Errorf("unknown count: err %v, want one naming it", err)
	}
	if _, err := FitFactsPerParam(recs, []string{"gd"}, math.NaN()); err == nil {
		t.Error("NaN smallest F per d: no error")
	}
}

// Seeds at a single F give no slope: an error, not slope 0 with R² 1.
func TestFactsVsParamsNeedsTwoFacts(t *testing.T) {
	recs := []Record{rec("gd", 32, 256, 1, 10, 0), rec("gd", 32, 256, 2, 11, 0), rec("gd", 32, 256, 3, 12, 0)}
	if f, err := FactsVsParamsFrom(recs, "gd", 0); err == nil || !strings.Contains(err.Error(), "1 distinct F") {
		t.Fatalf("single F: fit %+v, err %v; want an error naming 1 distinct F", f, err)
	}
	recs = append(recs, rec("gd", 32, 512, 1, 20, 0), rec("encdec", 32, 512, 1, 20, 32))
	if f, err := FactsVsParamsFrom(recs, "gd", 0); err != nil || f.N != 4 || !math.IsInf(f.CILow, -1) || !math.IsInf(f.CIHigh, 1) {
		t.Fatalf("two F: fit %+v, err %v; want a slope with an unbounded CI", f, err)
	}
	recs = append(recs, rec("gd", 32, 1024, 1, 40, 0))
	if f, err := FactsVsParamsFrom(recs, "gd", 0); err != nil || math.IsInf(f.CILow, 0) || math.IsInf(f.CIHigh, 0) {
		t.Fatalf("three F: fit %+v, err %v; want a finite CI", f, err)
	}
	if _, err := FactsVsParams(recs, "encdec"); err == nil {
		t.Fatal("encdec with only a capped point: no error")
	}
}

func TestEfficienciesAndRatioTrend(t *testing.T) {
	var recs []Record
	for _, s := range []uint64{1, 2} {
		for _, f := range []int{128, 256, 512} {
			// encdec costs F·log₂F/… : its ratio to GD grows as F^1 here.
			recs = append(recs, rec("gd", 32, f, s, f/8, 0), rec("encdec", 32, f, s, f*f/64, 8))
		}
	}
	effs := Efficiencies(recs, []string{"gd", "encdec"})
	if len(effs) != 6 || effs[0].Method != "gd" || effs[0].Facts != 128 || effs[0].Seeds != 2 {
		t.Fatalf("efficiencies %+v", effs)
	}
	// gd: F·log₂F / (3·(F/8)·32) = log₂F / 12.
	if want := 7.0 / 12; math.Abs(effs[0].Bits-want) > 1e-12 || effs[0].BitsMin != effs[0].BitsMax {
		t.Errorf("gd F=128: %g bits/param (min %g, max %g), want %g", effs[0].Bits, effs[0].BitsMin, effs[0].BitsMax, want)
	}
	if e := effs[3]; math.Abs(e.BitsWithoutSeeded-3*e.Bits) > 1e-12 {
		t.Errorf("encdec: %g bits/param unseeded, want 3 × %g", e.BitsWithoutSeeded, e.Bits)
	}
	if lo, hi, n := BitsRange(recs, "gd", 256); n != 2 || math.Abs(lo-8.0/12) > 1e-12 || math.Abs(hi-9.0/12) > 1e-12 {
		t.Errorf("gd bits range over F ≥ 256: %g–%g over %d, want 8/12–9/12 over 2", lo, hi, n)
	}
	if _, _, n := BitsRange(AtDim(recs, 64), "gd", 0); n != 0 {
		t.Errorf("no records at d = 64, yet %d (d, F) in the bits range", n)
	}
	trends, err := RatioTrends(recs, "encdec", "gd", 4, AllStored)
	if err != nil || len(trends) != 1 {
		t.Fatalf("trends %+v, err %v", trends, err)
	}
	if tr := trends[0]; tr.Err != "" || math.Abs(tr.Slope-1) > 1e-9 || tr.N != 6 {
		t.Errorf("ratio trend %+v, want slope 1 on 6 pairs", tr)
	}
	rs := CostRatiosCounted(recs, "encdec", "gd", WithoutSeeded)
	if all := CostRatios(recs, "encdec", "gd"); len(rs) != 3 || math.Abs(rs[0].Mean*3-all[0].Mean) > 1e-9 {
		t.Errorf("unseeded ratios %+v vs all-stored %+v: want a third", rs, all)
	}
}

// Measure records the code dimension and the unseeded parameters of the
// smallest storing MLP, and reads them back from the cache, also when only
// the trials were cached.
func TestMeasureCodeDimAndUnseeded(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	p := Point{Method: "encdec", Seed: 1, RelTol: 0.05}
	p.Facts.N, p.Facts.Dim, p.Facts.Seed = 64, 16, 1
	r, err := Measure(p, Options{Cache: c})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Found() || r.CodeDim < 1 || r.CodeDim > 16 || r.ParamsWithoutSeeded != r.MinParams/3 {
		t.Fatalf("result %+v: want a code dimension in [1, 16] and a third of the params unseeded", r)
	}
	again, err := Measure(p, Options{Cache: c})
	if err != nil || again.CodeDim != r.CodeDim || again.ParamsWithoutSeeded != r.ParamsWithoutSeeded {
		t.Fatalf("cached rerun %+v, err %v", again, err)
	}
	// A point cached without the new fields is measured again from its cached trials.
	np, _ := p.Normalize()
	stale := *r
	stale.CodeDim, stale.ParamsWithoutSeeded = 0, 0
	if err := c.Store("point", np, stale); err != nil {
		t.Fatal(err)
	}
	if err := c.Remove("built", builtKey{np, r.MinHidden}); err != nil {
		t.Fatal(err)
	}
	fresh, err := Measure(p, Options{Cache: c})
	if err != nil || fresh.CodeDim != r.CodeDim || fresh.ParamsWithoutSeeded != r.ParamsWithoutSeeded || fresh.MinHidden != r.MinHidden {
		t.Fatalf("after a stale point: %+v, err %v; want %+v", fresh, err, r)
	}
	gd := Point{Method: "gd", Seed: 1, GD: GD{Epochs: 200}}
	gd.Facts.N, gd.Facts.Dim, gd.Facts.Seed = 16, 8, 1
	g, err := Measure(gd, Options{})
	if err != nil || !g.Found() || g.CodeDim != 0 || g.ParamsWithoutSeeded != g.MinParams {
		t.Fatalf("gd: %+v, err %v; want no code dimension and every parameter unseeded", g, err)
	}
}

func TestMaxFacts(t *testing.T) {
	c, err := ParseConfig([]byte(`{"methods": ["encdec", "gd"], "dims": [8, 16], "facts_per_dim2": [0.5, 1], "max_facts": {"gd": 64}}`))
	if err != nil {
		t.Fatal(err)
	}
	pts, err := c.Points()
	if err != nil {
		t.Fatal(err)
	}
	var gdFacts []int
	for _, p := range pts {
		if p.Method == "gd" {
			gdFacts = append(gdFacts, p.Facts.N)
		}
	}
	if len(pts) != 6 || len(gdFacts) != 2 || gdFacts[0] != 32 || gdFacts[1] != 64 {
		t.Fatalf("%d points, gd at F = %v; want encdec at 4 sizes and gd at F = 32, 64 (d = 16's 128 and 256 skipped)", len(pts), gdFacts)
	}
	if _, err := ParseConfig([]byte(`{"methods": ["gd"], "dims": [8], "facts": [16], "max_facts": {"gd": 1}}`)); err == nil || !strings.Contains(err.Error(), `max_facts["gd"] = 1`) {
		t.Fatalf("max_facts 1: err %v", err)
	}
}
