package transformer

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// ScalingFits recovers a known power law and names the capped points it drops.
func TestScalingFits(t *testing.T) {
	var pts []ScalingPoint
	for _, F := range []int{64, 128, 256, 512} {
		for seed := uint64(1); seed <= 3; seed++ {
			// params = 4·F^1.25 in the Transformer, 2·F standalone.
			p := ScalingPoint{Method: "encdec", Facts: F, Seed: seed, StandaloneParams: 2 * F,
				MinParams: int(math.Round(4 * math.Pow(float64(F), 1.25)))}
			if F == 512 && seed == 3 {
				p.MinParams = 0 // capped: no width reached the threshold
			}
			pts = append(pts, p)
		}
	}
	fits := ScalingFits(pts)
	if len(fits) != 2 {
		t.Fatalf("%d fits, want 2 (in Transformer, standalone)", len(fits))
	}
	tr, sa := fits[0], fits[1]
	if tr.Where != "in Transformer" || math.Abs(tr.Slope-0.8) > 1e-3 || tr.N != 11 || !reflect.DeepEqual(tr.Dropped, []string{"F=512 seed 3"}) {
		t.Errorf("Transformer fit %+v; want slope 1/1.25 = 0.8 over 11 points, F=512 seed 3 dropped", tr)
	}
	if sa.Where != "standalone" || math.Abs(sa.Slope-1) > 1e-9 || sa.N != 12 || len(sa.Dropped) != 0 {
		t.Errorf("standalone fit %+v; want slope 1 over 12 points", sa)
	}
}

func TestScalingStudyRejects(t *testing.T) {
	for _, s := range []ScalingStudy{
		{Dim: 16, Methods: []string{"encdec"}, Seeds: []uint64{1}},
		{Dim: 16, Facts: []int{64, 32}, Methods: []string{"encdec"}, Seeds: []uint64{1}},
		{Dim: 16, Facts: []int{32}, Methods: []string{"encdec"}, Seeds: []uint64{1}, Task: "hard"},
		{Dim: 16, Facts: []int{32}, Methods: []string{"encdec"}, Seeds: []uint64{1}, Capacity: CapacityOptions{Threshold: 2}},
	} {
		if _, err := s.Run(nil); err == nil || !strings.Contains(err.Error(), "transformer:") {
			t.Errorf("%+v: err = %v, want a clear error", s, err)
		}
	}
}

// A tiny study: every point has a standalone width, the Transformer's width
// is never below it, and a rerun reads the same points from the cache.
func TestScalingStudyTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a few Transformers")
	}
	s := ScalingStudy{Dim: 16, Facts: []int{16, 32}, Methods: []string{"encdec"}, Seeds: []uint64{1}, Task: "easy-4junk",
		Steps: 40, Batch: 64, EvalSeqs: 64, Capacity: CapacityOptions{Threshold: 0.5, Hi: 256, MaxFactor: 4}, CacheDir: t.TempDir()}
	a, err := s.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 2 {
		t.Fatalf("%d points, want 2", len(a))
	}
	for _, p := range a {
		if p.StandaloneHidden < 1 || (p.MinHidden != 0 && p.MinHidden < p.StandaloneHidden) || len(p.Trials) == 0 {
			t.Fatalf("implausible point %+v", p)
		}
		for _, tr := range p.Trials {
			if tr.Hidden > 4*p.StandaloneHidden {
				t.Fatalf("trial at width %d above MaxFactor 4 × standalone %d", tr.Hidden, p.StandaloneHidden)
			}
		}
	}
	b, err := s.Run(nil) // every trial from the cache
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i].MinHidden != b[i].MinHidden || a[i].StandaloneHidden != b[i].StandaloneHidden || a[i].FactAdaptive != b[i].FactAdaptive {
			t.Fatalf("same study, different point %d: %+v vs %+v", i, a[i], b[i])
		}
	}
}

func TestLayoutStudy(t *testing.T) {
	if _, err := (LayoutStudy{Facts: 16, Dims: []int{16}, Tasks: []string{"easy-4junk"}, Seeds: []uint64{1}}).Run(nil); err == nil {
		t.Error("a study without a step budget ran")
	}
	if _, err := (LayoutStudy{Facts: 16, Dims: []int{16}, Tasks: []string{"nope"}, Seeds: []uint64{1}, Steps: 5}).Run(nil); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown task: err = %v", err)
	}
	pts, err := (LayoutStudy{Facts: 32, Dims: []int{16}, Tasks: TaskPresets, Seeds: []uint64{3}, Steps: 20, EvalSeqs: 64}).Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 || pts[0].Task != "authors-9junk" || pts[1].Task != "easy-4junk" || pts[0].Steps < 1 || pts[0].Recall < 0 || pts[0].Recall > 1 {
		t.Fatalf("points %+v", pts)
	}
}

func TestScalingRows(t *testing.T) {
	pts := []ScalingPoint{
		{Method: "gd", Facts: 64, Seed: 1, StandaloneHidden: 10, StandaloneParams: 100, MinHidden: 12, MinParams: 120,
			Trials: []CapacityTrial{{Hidden: 10, FactAdaptive: 0.9}, {Hidden: 12, FactAdaptive: 0.995, Passed: true}}},
		{Method: "gd", Facts: 64, Seed: 2, StandaloneHidden: 10, StandaloneParams: 100, MinHidden: 20, MinParams: 200,
			Trials: []CapacityTrial{{Hidden: 10, FactAdaptive: 0.5}, {Hidden: 20, FactAdaptive: 1, Passed: true}}},
		{Method: "gd", Facts: 64, Seed: 3, StandaloneHidden: 10, StandaloneParams: 100},
	}
	rows := ScalingRows(pts)
	if len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
	r := rows[0]
	if r.Seeds != 3 || r.Capped != 1 || r.StandaloneParams != 100 || r.TransformerParams != 160 || math.Abs(r.Ratio-1.6) > 1e-12 ||
		r.RatioMin != 1.2 || r.RatioMax != 2 || r.AtStandaloneMin != 0.5 || r.AtStandaloneMax != 0.9 {
		t.Fatalf("row %+v", r)
	}
	if _, ok := FitFor(ScalingFits(pts), "gd", "standalone"); ok {
		t.Error("a fit over one F was returned")
	}
}

func TestSummarizeLayouts(t *testing.T) {
	pts := []LayoutPoint{{Task: "a", Dim: 64, FactAdaptive: 0.9, Recall: 0.8, Steps: 10}, {Task: "a", Dim: 64, FactAdaptive: 1, Recall: 1, Steps: 30},
		{Task: "b", Dim: 64, FactAdaptive: 0.5}}
	sums := SummarizeLayouts(pts)
	a, ok := FindLayout(sums, "a", 64)
	if len(sums) != 2 || !ok || a.Seeds != 2 || math.Abs(a.FactAdaptive-0.95) > 1e-12 || a.FactAdaptiveMin != 0.9 || a.FactAdaptiveMax != 1 || a.Steps != 20 || math.Abs(a.Recall-0.9) > 1e-12 {
		t.Fatalf("summaries %+v", sums)
	}
	if _, ok := FindLayout(sums, "b", 128); ok {
		t.Error("found a layout that was not measured")
	}
}

func TestLargestDrop(t *testing.T) {
	rows := []AblationRow{{Name: "constrained", FactAdaptive: 0.99}, {Name: "residuals", FactAdaptive: 0.2}, {Name: "vo", FactAdaptive: 0.5}}
	if w := LargestDrop(rows); w.Name != "residuals" {
		t.Errorf("largest drop %q, want residuals", w.Name)
	}
	if w := LargestDrop(rows[:1]); w.Name != "constrained" {
		t.Errorf("one row: %q", w.Name)
	}
}

// A ScalingStudy is a notebook's cache key: it must encode as JSON.
func TestScalingStudyJSON(t *testing.T) {
	s := ScalingStudy{Dim: 8, Facts: []int{8}, Capacity: CapacityOptions{Progress: func(int, int, string) {}}, CacheDir: "x"}
	b, err := json.Marshal(s)
	if err != nil || strings.Contains(string(b), `"x"`) {
		t.Fatalf("JSON %s, err %v (CacheDir must not be part of the key)", b, err)
	}
}
