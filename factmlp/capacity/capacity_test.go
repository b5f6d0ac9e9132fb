package capacity

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/training"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
	"gonum.org/v1/gonum/mat"
)

func threshold(t0 int, calls *int) widthsearch.Predicate {
	return func(h int) (bool, int, error) {
		*calls++
		return h >= t0, 3 * h * 8, nil
	}
}

func TestCacheResume(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	key := map[string]int{"facts": 64}
	// First run is interrupted after 4 evaluations.
	calls := 0
	interrupted := func(h int) (bool, int, error) {
		if calls == 4 {
			return false, 0, errors.New("interrupted")
		}
		calls++
		return h >= 37, h, nil
	}
	if _, err := widthsearch.Search(CachedPredicate(c, key, interrupted), widthsearch.Options{Start: 2}); err == nil {
		t.Fatal("expected the interruption")
	}
	// The resumed run re-evaluates none of the 4 cached widths.
	resumed := 0
	r, err := widthsearch.Search(CachedPredicate(c, key, threshold(37, &resumed)), widthsearch.Options{Start: 2})
	if err != nil {
		t.Fatal(err)
	}
	full := 0
	if _, err := widthsearch.Search(threshold(37, &full), widthsearch.Options{Start: 2}); err != nil {
		t.Fatal(err)
	}
	if r.MinHidden != 37 || resumed != full-4 {
		t.Fatalf("resume: h=%d, %d fresh evaluations; want 37 and %d", r.MinHidden, resumed, full-4)
	}
	// A different key does not hit.
	other := 0
	if _, err := widthsearch.Search(CachedPredicate(c, map[string]int{"facts": 65}, threshold(37, &other)), widthsearch.Options{Start: 2}); err != nil {
		t.Fatal(err)
	}
	if other != full {
		t.Fatalf("another key reused cached trials (%d of %d evaluations)", other, full)
	}
}

func TestMeasureGDAndCache(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	p := Point{Method: "gd", Facts: factset.Spec{N: 64, Dim: 16, Seed: 1}, Seed: 1, GD: GD{Epochs: 400}}
	r, err := Measure(p, Options{Cache: c})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Found() || r.Facts != 64 || r.Dim != 16 || r.MinParams != 3*16*r.MinHidden || !(r.Rho > 0) {
		t.Fatalf("gd point: %+v", r)
	}
	// The threshold is bracketed: h stores, h−1 (if tried) does not.
	for _, tr := range r.Trials {
		if tr.Hidden < r.MinHidden && tr.Stored {
			t.Fatalf("width %d stored but min_hidden is %d", tr.Hidden, r.MinHidden)
		}
	}
	r2, err := Measure(p, Options{Cache: c})
	if err != nil {
		t.Fatal(err)
	}
	if r2.MinHidden != r.MinHidden || r2.Seconds != r.Seconds {
		t.Fatalf("the cached point differs: %+v vs %+v", r2, r)
	}
	if _, err := Measure(Point{Method: "sgd", Facts: p.Facts}, Options{}); err == nil {
		t.Fatal("unknown method must be rejected")
	}
}

func TestMeasureConstructions(t *testing.T) {
	for _, m := range []string{"encdec", "ntk", "encdec-gd"} {
		r, err := Measure(Point{Method: m, Facts: factset.Spec{N: 24, Dim: 16, Seed: 2}, Seed: 1, Max: 8192, GD: GD{Epochs: 500}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Found() {
			t.Fatalf("%s stored nothing up to 4096 units: %+v", m, r.Trials)
		}
		if r.MinParams != 3*16*r.MinHidden {
			t.Fatalf("%s: %d params at width %d", m, r.MinParams, r.MinHidden)
		}
		t.Logf("%s: min hidden %d, params %d, %d trials, %.2fs", m, r.MinHidden, r.MinParams, len(r.Trials), r.Seconds)
	}
}

// thresholdMethod stores exactly from width 37 up (the lookup MLP, widened,
// stands in for a stored fact set; narrower widths are the identity-gated
// zero MLP, which stores nothing), and cannot build below width 4.
type thresholdMethod struct{}

func (thresholdMethod) Name() string { return "test-threshold" }

func (thresholdMethod) Prepare(fs *factset.FactSet, seed uint64) (method.Builder, error) {
	return thresholdBuilder{fs}, nil
}

type thresholdBuilder struct{ fs *factset.FactSet }

func (b thresholdBuilder) Build(h int) (*mlp.Gated, mlp.Report, error) {
	if h < 4 {
		return nil, mlp.Report{}, &method.WidthError{Method: "test-threshold", Hidden: h, Err: errors.New("too narrow")}
	}
	lk, err := mlp.Lookup(b.fs)
	if err != nil {
		return nil, mlp.Report{}, err
	}
	g, err := mlp.Widen(lk, max(h, lk.Hidden()))
	if err != nil {
		return nil, mlp.Report{}, err
	}
	if h < 37 {
		d := b.fs.Dim()
		g = &mlp.Gated{Gate: mat.NewDense(h, d, nil), Up: mat.NewDense(h, d, nil), Down: mat.NewDense(d, h, nil), Act: mlp.Identity}
	}
	rep, err := mlp.Verify(g, b.fs)
	return g, rep, err
}

func (thresholdBuilder) FirstWidth() int { return 2 }

// Measure runs whatever method the registry holds under the point's name:
// its first width guess, width errors counted as the plain 3·h·d MLP that
// does not store, and the float64 exact-argmax criterion.
func TestMeasureInjectedMethod(t *testing.T) {
	if err := method.Register(method.Entry{Name: "test-threshold", DefaultAct: mlp.Identity,
		New: func(method.Settings) (method.Method, error) { return thresholdMethod{}, nil }}); err != nil {
		t.Fatal(err)
	}
	r, err := Measure(Point{Method: "test-threshold", Facts: factset.Spec{N: 32, Dim: 8, Seed: 1}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var tried []int
	for _, tr := range r.Trials {
		tried = append(tried, tr.Hidden)
		if tr.Hidden < 4 && (tr.Stored || tr.Params != 3*tr.Hidden*8) {
			t.Fatalf("an unbuildable width must count as a non-storing 3hd MLP: %+v", tr)
		}
	}
	if r.MinHidden != 37 || tried[0] != 2 {
		t.Fatalf("min width %d, widths tried %v; want 37, starting at the method's guess 2", r.MinHidden, tried)
	}
	if _, err := Measure(Point{Method: "sgd", Facts: factset.Spec{N: 32, Dim: 8}}, Options{}); err == nil || !strings.Contains(err.Error(), "test-threshold") {
		t.Fatalf("the unknown-method error must list every registered method: %v", err)
	}
}

func TestConfigPoints(t *testing.T) {
	c := Config{Methods: []string{"gd", "ntk"}, Dims: []int{64}, FactsPerDim2: []float64{1.0 / 32, 1.0 / 4, 1},
		Families: []Family{{Family: "spherical"}, {Family: "spiked", Beta: 5, Keys: "spherical"}}, Seeds: []uint64{1, 2},
		MaxFactsPerDim: map[string]float64{"ntk": 6}}
	pts, err := c.Points()
	if err != nil {
		t.Fatal(err)
	}
	// gd: 3 sizes (128, 1024, 4096) × 2 families × 2 seeds; ntk: only F = 128 ≤ 6·64.
	if len(pts) != 12+4 {
		t.Fatalf("%d points, want 16", len(pts))
	}
	if pts[0].Facts.N != 128 || pts[2].Facts.N != 1024 || pts[4].Facts.N != 4096 || pts[7].Keys != "spherical" || pts[0].Act != "identity" || pts[15].Act != "relu" {
		t.Fatalf("unexpected points %+v", pts)
	}
	fs, err := pts[7].FactSet()
	if err != nil || fs.Tied || fs.NumFacts() != 128 {
		t.Fatalf("spherical-keys fact set: %v tied=%v", err, fs != nil && fs.Tied)
	}
	for _, bad := range []Config{{Methods: []string{"gd"}, Dims: []int{8}}, {Methods: []string{"gd"}, Dims: []int{8}, FactsPerDim2: []float64{-1}},
		{Methods: []string{"lasso"}, Dims: []int{8}, Facts: []int{8}}, {Methods: []string{"gd"}, Dims: []int{8}, Facts: []int{8}, Families: []Family{{Family: "spiked", Keys: "gaussian"}}}} {
		if _, err := bad.Points(); err == nil {
			t.Fatalf("config %+v must be rejected", bad)
		}
	}
}

// GD with MSE is its own series: a sweep over both losses keeps their
// records apart in Select, the fits, the CSV and the per-point files.
func TestSweepSeparatesGDLosses(t *testing.T) {
	dir := t.TempDir()
	fam := []Family{{Family: "spherical"}, {Family: "spiked", Beta: 5}}
	var recs []Record
	for _, loss := range []string{"", "mse"} {
		r, err := Sweep(Config{Methods: []string{"gd"}, Dims: []int{16}, Facts: []int{48}, Families: fam, GD: GD{Epochs: 400, Loss: loss}},
			SweepOptions{Cache: &Cache{Dir: filepath.Join(dir, "cache")}})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r...)
	}
	if err := WriteRecords(dir, recs); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := writePoint(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	if ce, mse := Select(recs, "gd"), Select(recs, "gd-mse"); len(ce) != 2 || len(mse) != 2 || ce[0].Loss != "" || mse[0].Loss != "mse" {
		t.Fatalf("gd: %d records, gd-mse: %d records; want 2 each", len(ce), len(mse))
	}
	if (Record{Method: "encdec-gd", Loss: "ce"}).Label() != "encdec-gd-ce" || (Record{Method: "encdec-gd", Loss: "mse"}).Label() != "encdec-gd" {
		t.Fatal("encdec-gd labels")
	}
	csvData, err := os.ReadFile(filepath.Join(dir, "points.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(csvData)), "\n"); len(lines) != 5 || !strings.Contains(lines[0], ",loss,") || !strings.Contains(lines[4], ",mse,") {
		t.Fatalf("points.csv:\n%s", csvData)
	}
	files, err := os.ReadDir(filepath.Join(dir, "points"))
	if err != nil || len(files) != 4 {
		t.Fatalf("%d per-point files (%v); want 4", len(files), err)
	}
}

// A sweep measures gd's seeds side by side (their searches at once, equal
// widths trained in one graph): the records must be those of measuring
// them one at a time, but for the seconds.
func TestSweepSeedsSideBySideMatchesOneAtATime(t *testing.T) {
	c := Config{Methods: []string{"gd", "ntk"}, Dims: []int{16}, Facts: []int{40, 64}, Seeds: []uint64{1, 2, 3}, GD: GD{Epochs: 300}}
	want := 12
	if testing.Short() { // make race runs it: the sweep's goroutines under the race detector
		c.Facts, c.Seeds, c.GD.Epochs, want = []int{40}, []uint64{1, 2}, 150, 4
	}
	together := 0 // trainings of several models in one graph
	observeTogether = func(tg *training.Together) {
		for _, g := range tg.Groups() {
			if g[0] > 1 {
				together++
			}
		}
	}
	defer func() { observeTogether = nil }()
	var runs [2][]Record
	for i, one := range []bool{true, false} {
		recs, err := Sweep(c, SweepOptions{OneAtATime: one})
		if err != nil {
			t.Fatal(err)
		}
		for j := range recs {
			recs[j].Seconds = 0
			for k := range recs[j].Trials {
				recs[j].Trials[k].Seconds = 0
			}
		}
		runs[i] = recs
	}
	a, _ := json.Marshal(runs[0])
	b, _ := json.Marshal(runs[1])
	if string(a) != string(b) {
		t.Fatalf("side by side differs from one at a time:\n%s\n%s", b, a)
	}
	if len(runs[0]) != want || together == 0 {
		t.Fatalf("%d records, %d trainings of several seeds at once; want %d records and some", len(runs[0]), together, want)
	}
	t.Logf("%d trainings of several seeds in one graph", together)
}
