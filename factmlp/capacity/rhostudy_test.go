package capacity

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
)

func TestRhoStudyConfigs(t *testing.T) {
	s, err := RhoStudyAt("fast")
	if err != nil {
		t.Fatal(err)
	}
	cs := s.Configs()
	if len(cs) != 2 {
		t.Fatalf("%d configs, want constructions and trained", len(cs))
	}
	cons, err := cs[0].Points()
	if err != nil {
		t.Fatal(err)
	}
	// 3 methods × (spherical + 5 β + 5 angles) × 3 seeds, isotropic keys.
	if len(cons) != 3*11*3 || cons[0].Keys != "spherical" || cons[0].Method != "encdec-norefine" {
		t.Fatalf("constructions: %d points, first %+v", len(cons), cons[0])
	}
	tr, err := cs[1].Points()
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]int{}
	for _, p := range tr {
		labels[record(p, &Result{}).Label()]++
		if p.GD.LR != 1e-2 || p.GD.Epochs != 2000 || p.Max != 4*s.Dim {
			t.Fatalf("trained point %+v lost the study's GD settings or search limit", p)
		}
	}
	if want := map[string]int{"gd": 12, "gd-mse": 12, "encdec-gd": 12}; !reflect.DeepEqual(labels, want) {
		t.Fatalf("trained series %v, want %v", labels, want)
	}
	if _, err := RhoStudyAt("huge"); err == nil || !strings.Contains(err.Error(), "smoke, fast, paper") {
		t.Fatalf("unknown scale: %v", err)
	}
}

// The committed sweep files are the study's configs: `factmlp sweep`
// reproduces every point of notebook 04's figure from them.
// FACTMLP_WRITE_CONFIGS=1 rewrites them.
func TestCommittedRhoConfigs(t *testing.T) {
	for _, scale := range []string{"fast", "paper"} {
		s, _ := RhoStudyAt(scale)
		for i, name := range []string{"constructions", "trained"} {
			path := filepath.Join("..", "..", "scripts", "cluster", scale, "04_cost_vs_rho_"+name+".json")
			want := s.Configs()[i]
			if os.Getenv("FACTMLP_WRITE_CONFIGS") == "1" {
				data, _ := json.MarshalIndent(want, "", " ")
				if err := atomicfile.WriteBytes(path, append(data, '\n')); err != nil {
					t.Fatal(err)
				}
			}
			got, err := LoadConfig(path)
			if err != nil {
				t.Fatalf("%v (FACTMLP_WRITE_CONFIGS=1 go test -run TestCommittedRhoConfigs writes it)", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s differs from RhoStudyAt(%q).Configs()[%d]:\n%+v\n%+v", path, scale, i, got, want)
			}
		}
	}
}

func TestLossesChecked(t *testing.T) {
	for _, c := range []struct {
		losses map[string][]string
		want   string
	}{
		{map[string][]string{"ntk": {"ce"}}, "only a method that trains"},
		{map[string][]string{"gd": {"hinge"}}, "hinge"},
		{map[string][]string{"gd": {}}, "empty"},
	} {
		data, _ := json.Marshal(Config{Methods: []string{"gd", "ntk"}, Facts: []int{8}, Dims: []int{4}, Losses: c.losses})
		if _, err := ParseConfig(data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("losses %v: err %v, want one naming %q", c.losses, err, c.want)
		}
	}
	data := []byte(`{"methods": ["gd"], "facts": [8], "dims": [4], "max_hidden": {"gd": 0}}`)
	if _, err := ParseConfig(data); err == nil || !strings.Contains(err.Error(), `max_hidden["gd"] = 0`) {
		t.Errorf("max_hidden 0: %v", err)
	}
}

// A capped record is named and left out; the rest fit exactly.
func TestRhoFitsDropCapped(t *testing.T) {
	var recs []Record
	for i, rho := range []float64{0.3, 0.4, 0.5, 0.6} {
		recs = append(recs, Record{Method: "encdec-norefine", Family: "spiked", Beta: float64(10 * (i + 1)), Seed: 1, Dim: 64,
			Found: true, Rho: rho, MinParams: int(math.Round(1e6 * math.Pow(rho, -2)))})
	}
	recs = append(recs, Record{Method: "encdec-norefine", Family: "spiked", Beta: 99, Seed: 2, Dim: 64, Found: true, Rho: 0.2, MinParams: 100})
	dims := []CodeDim{{Family: "spiked", Beta: 99, Seed: 2, Dim: 64, M: 64, MRefined: 40}}
	fits := RhoFits(recs, []string{"encdec-norefine", "gd"}, func(r Record) bool { return Capped(r, dims) })
	f := fits[0]
	if math.Abs(f.Slope+2) > 1e-6 || f.N != 4 || f.Dropped != "spiked β=99 s2" || f.Err != "" {
		t.Fatalf("fit %+v; want slope −2 over 4 points, the capped β=99 seed named", f)
	}
	if fits[1].Err == "" {
		t.Fatal("gd has no records but got a fit")
	}
	// The refined construction is capped by its own code dimension (40 < 64).
	refined := recs[4]
	refined.Method = "encdec"
	if Capped(refined, dims) || !Capped(Record{Method: "gd"}, dims) {
		t.Fatal("encdec at m = 40 < d is not capped; a record never found is")
	}
	g := RhoGroups(recs, []string{"encdec-norefine"}, func(r Record) bool { return Capped(r, dims) })
	if len(g) != 5 || g[0].Family != "spiked β=99" || g[0].CappedSeeds != 1 || !math.IsNaN(g[0].Mean) || g[1].Min != g[1].Max {
		t.Fatalf("groups %+v", g)
	}
}

// On a tiny study: the plain decoder never needs fewer dimensions than the
// refined one, the construction's width covers its code dimension, and
// the cache returns what was measured.
func TestCodeDimsAndWidths(t *testing.T) {
	s := RhoStudy{Facts: 24, Dim: 24, Betas: []float64{20}, Angles: []float64{70}, Seeds: []uint64{1, 2}, Keys: "spherical"}
	cache := &Cache{Dir: t.TempDir()}
	dims, err := s.CodeDims(cache, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.CodeDims(cache, nil)
	if err != nil || !reflect.DeepEqual(dims, again) {
		t.Fatalf("cached code dimensions differ: %v", err)
	}
	if len(dims) != 6 {
		t.Fatalf("%d code dimensions, want 3 tables × 2 seeds", len(dims))
	}
	for _, c := range dims {
		if c.MRefined > c.M || c.M > c.Dim || c.M < 1 || !(c.JL > 0) || !(c.Rho > 0) {
			t.Fatalf("code dimension %+v", c)
		}
	}
	c := s.Configs()[0]
	c.Methods = []string{"encdec-norefine"}
	recs, err := Sweep(c, SweepOptions{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if !r.Found || r.MinHidden < dims[i].M || r.Rho != dims[i].Rho {
			t.Fatalf("record %+v vs code dimension %+v: the width must cover m and ρ must agree", r, dims[i])
		}
	}
}

func TestVerdicts(t *testing.T) {
	f := RhoFit{Method: "x"}
	f.Slope, f.CILow, f.CIHigh, f.N, f.R2 = -1.9, -2.2, -1.6, 9, 0.9
	if f.Against(-2) != "consistent with −2" || !strings.Contains(DescribeFits([]RhoFit{f}, -2), "x: ρ^−1.90 [−2.20, −1.60]") {
		t.Fatalf("%q / %q", f.Against(-2), DescribeFits([]RhoFit{f}, -2))
	}
	f.CILow, f.CIHigh = -1.7, -1.5
	if f.Against(-2) != "shallower than −2" {
		t.Fatal(f.Against(-2))
	}
	rows := []BudgetRow{{Family: "a", Mean: 3, LR: 1e-2, Epochs: 2000}, {Family: "a", Mean: 2.7, LR: 1e-3, Epochs: 10000},
		{Family: "b", Mean: 6, LR: 1e-2, Epochs: 2000}, {Family: "b", Mean: 4, LR: 1e-3, Epochs: 10000}}
	v := BudgetVerdict(rows)
	if !strings.Contains(v, "a (ρ = 0.000): mean width 3.00") || !strings.Contains(strings.Split(v, "\n")[0], ": converged") ||
		!strings.Contains(strings.Split(v, "\n")[1], "not converged") {
		t.Fatalf("verdict %q", v)
	}
}

// The budget check runs one gd sweep per (lr, epochs) and tabulates the
// widths per family, the default schedule first.
func TestRunBudgetTiny(t *testing.T) {
	s := RhoStudy{Facts: 12, Dim: 12, Seeds: []uint64{1}, Keys: "spherical", GD: GD{LR: 1e-2, Epochs: 100}, RelTol: 0.05, MaxHidden: map[string]int{"gd": 48}}
	b := BudgetCheck{Study: s, Angles: []float64{70}, Schedules: []Schedule{{1e-2, 100}, {1e-2, 200}}}
	rows, err := b.RunBudget(SweepOptions{Cache: &Cache{Dir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0].Family != "spherical" || rows[1].Family != "midpoints 70°" || rows[2].Epochs != 200 || rows[0].Epochs != 100 {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		if r.Capped == 0 && !(r.Mean >= 1) {
			t.Fatalf("row %+v: stored with no width", r)
		}
	}
}

func TestCodeDimFitsPerFamily(t *testing.T) {
	var dims []CodeDim
	for i, rho := range []float64{0.25, 0.3, 0.4, 0.5} {
		jl := 2 * math.Log(64) / rho / rho
		dims = append(dims,
			CodeDim{Family: "spiked", Beta: float64(i + 1), Seed: 1, Rho: rho, M: int(math.Round(jl / 2)), MRefined: 5, JL: jl, Dim: 512},
			CodeDim{Family: "midpoints", Angle: float64(60 + i), Seed: 1, Rho: rho + 0.01, M: int(math.Round(jl / 4)), MRefined: 5, JL: jl, Dim: 512})
	}
	dims = append(dims, CodeDim{Family: "spiked", Beta: 99, Seed: 2, Rho: 0.1, M: 512, MRefined: 400, JL: 800, Dim: 512})
	fits := CodeDimFits(dims)
	if len(fits) != 4 || math.Abs(fits[1].Slope+2) > 0.05 || math.Abs(fits[2].Slope+2) > 0.1 || fits[1].N != 4 || fits[3].N != 9 {
		t.Fatalf("per-family fits %+v", fits)
	}
	if !strings.Contains(fits[0].Dropped, "spiked β=99 s2") || fits[2].Dropped != "—" {
		t.Fatalf("dropped: %q / %q", fits[0].Dropped, fits[2].Dropped)
	}
	hi, lo, rhoHi, rhoLo := JLRatioEnds(dims) // within 2% of ρ = 0.51: the midpoint table (0.25) and the spiked one at 0.5 (0.5)
	if math.Abs(hi-0.375) > 0.02 || math.Abs(lo-0.5) > 0.02 || rhoHi != 0.51 || rhoLo != 0.25 {
		t.Fatalf("JL ratio ends %g %g at ρ %g %g", hi, lo, rhoHi, rhoLo)
	}
}

func TestCodeDimGroupsAndUnits(t *testing.T) {
	dims := []CodeDim{{Family: "spiked", Beta: 5, Seed: 1, Rho: 0.4, M: 30, MRefined: 20, JL: 50, Dim: 64},
		{Family: "spiked", Beta: 5, Seed: 2, Rho: 0.5, M: 40, MRefined: 20, JL: 30, Dim: 64},
		{Family: "midpoints", Angle: 70, Seed: 1, Rho: 0.3, M: 64, MRefined: 20, JL: 90, Dim: 64}}
	g := CodeDimGroups(dims)
	if len(g) != 2 || g[0].Family != "spiked β=5" || g[0].M != 35 || g[0].Gain != 1.75 || math.Abs(g[0].Rho-0.45) > 1e-12 || g[1].Capped != 1 {
		t.Fatalf("groups %+v", g)
	}
	recs := []Record{{Method: "encdec-norefine", Family: "spiked", Beta: 5, Seed: 1, Dim: 64, Found: true, MinHidden: 60},
		{Method: "encdec-norefine", Family: "spiked", Beta: 5, Seed: 2, Dim: 64, Found: true, MinHidden: 120},
		{Method: "encdec", Family: "spiked", Beta: 5, Seed: 2, Dim: 64, Found: true, MinHidden: 20}}
	if lo, hi := HiddenPerCodeDim(recs, "encdec-norefine", dims); lo != 2 || hi != 3 {
		t.Fatalf("units per code coordinate %g–%g, want 2–3", lo, hi)
	}
	if lo, hi := HiddenPerCodeDim(recs, "encdec", dims); lo != 1 || hi != 1 {
		t.Fatalf("encdec units %g–%g, want 1 (against the refined m)", lo, hi)
	}
}
