package editing

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/diskcache"
)

func validAblations() Ablations {
	return Ablations{Methods: []string{Swap, MEMIT}, Fractions: []float64{0.1, 0.25}, At: 0.25, Widths: []int{30},
		AdaptiveMaps: 1, SwapMLPs: []SwapMLP{{Method: "hebbian-whitened", Hidden: 64}}, Rounds: 2, RoundFraction: 0.1,
		SequentialMethods: []string{Swap, MEMIT}}
}

// Every bad value is refused before any work, by an error that names it.
func TestAblationsValidate(t *testing.T) {
	if err := validAblations().Validate(); err != nil {
		t.Fatalf("valid study refused: %v", err)
	}
	for _, c := range []struct {
		change func(*Ablations)
		want   string
	}{
		{func(a *Ablations) { a.Methods = nil }, "no methods"},
		{func(a *Ablations) { a.Methods = []string{"finetune"} }, `"finetune"`},
		{func(a *Ablations) { a.SequentialMethods = []string{"lora"} }, `"lora"`},
		{func(a *Ablations) { a.Fractions = []float64{0.1, 1.5} }, "fraction 1.5"},
		{func(a *Ablations) { a.Fractions = nil }, "no edit fractions"},
		{func(a *Ablations) { a.At = 0.05 }, "At = 0.05"},
		{func(a *Ablations) { a.Widths = []int{0} }, "width 0"},
		{func(a *Ablations) { a.AdaptiveMaps = -1 }, "AdaptiveMaps -1"},
		{func(a *Ablations) { a.SwapMLPs = []SwapMLP{{Method: "hebbian-nope"}} }, `"hebbian-nope"`},
		{func(a *Ablations) { a.SwapMLPs = []SwapMLP{{Method: "encdec", Hidden: -2}} }, "width -2"},
		{func(a *Ablations) { a.Rounds = 20 }, "20 rounds of 0.1"},
		{func(a *Ablations) { a.SequentialMethods = nil }, "no SequentialMethods"},
		{func(a *Ablations) { a.Base.SwapMethod = "encdec" }, "Base.SwapMethod"},
	} {
		a := validAblations()
		c.change(&a)
		err := a.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an error containing %q, got %v", c.want, err)
		}
		if _, err := a.Run(nil); err == nil {
			t.Errorf("Run accepted what Validate refuses (%q)", c.want)
		}
	}
	// A swap builder that is not registered is refused by the base model too.
	if _, err := (Config{SwapMethod: "nope"}).swapBuilder(); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("swap method nope: %v", err)
	}
}

func TestAblationRowsCI(t *testing.T) {
	recs := []AblationRecord{
		{Ablation: AblationFraction, Setting: "ref", Seed: 1, EditsPerUnit: 0.5, Result: Result{Method: Swap, Fraction: 0.1, Metrics: Metrics{Score: 0.9}}},
		{Ablation: AblationFraction, Setting: "ref", Seed: 2, EditsPerUnit: 0.5, Result: Result{Method: Swap, Fraction: 0.1, Metrics: Metrics{Score: 0.8}}},
		{Ablation: AblationFraction, Setting: "ref", Seed: 3, EditsPerUnit: 0.5, Result: Result{Method: Swap, Fraction: 0.1, Metrics: Metrics{Score: 1.0}}},
		{Ablation: AblationSwapMLP, Setting: "h", Seed: 1, NotStored: "1/2 facts", Result: Result{Method: Swap, Fraction: 0.1, Metrics: Metrics{Score: 0.2}}},
	}
	rows := AblationRows(recs)
	if len(rows) != 2 || rows[0].Seeds != 3 || rows[1].NotStored != 1 {
		t.Fatalf("rows %+v", rows)
	}
	half := 4.302652729911275 * 0.1 / math.Sqrt(3) // t(2) · sd / √n
	if r := rows[0]; math.Abs(r.Mean-0.9) > 1e-12 || math.Abs(r.Hi-r.Mean-half) > 1e-9 || r.Min != 0.8 || r.Max != 1.0 || r.EditsPerUnit != 0.5 {
		t.Fatalf("row %+v; want mean 0.9 ± %.4f, min 0.8, max 1", r, half)
	}
	base := Result{Method: MEMIT, Fraction: 0.1}
	for i, sc := range []float64{0.3, 0.31, 0.32} {
		base.Score = sc
		recs = append(recs, AblationRecord{Ablation: AblationFraction, Setting: "ref", Seed: uint64(i + 1), Result: base})
	}
	adv := Advantages(AblationRows(recs))
	if len(adv) != 2 || adv[0].Best != MEMIT || math.Abs(adv[0].Ratio-0.9/0.31) > 1e-12 || !adv[0].Clear {
		t.Fatalf("advantages %+v; want swap 0.9 against memit 0.31, CIs apart", adv)
	}
	// The swap-MLP row has no baseline of its own: the reference's best.
	if adv[1].Setting != "h" || math.Abs(adv[1].BestMean-0.31) > 1e-12 || adv[1].Clear {
		t.Fatalf("swap-MLP advantage %+v", adv[1])
	}
	seq := []SequentialRecord{{Seed: 1, Method: MEMIT, RoundResult: RoundResult{Round: 2, Edited: 8, Metrics: Metrics{Score: 0.5}}},
		{Seed: 1, Method: MEMIT, RoundResult: RoundResult{Round: 1, Edited: 4, Metrics: Metrics{Score: 0.7}}},
		{Seed: 2, Method: MEMIT, RoundResult: RoundResult{Round: 1, Edited: 4, Metrics: Metrics{Score: 0.9}}}}
	bands := RoundBands([]string{Swap, MEMIT}, seq)
	if len(bands) != 2 || bands[0].Round != 1 || bands[0].Seeds != 2 || math.Abs(bands[0].Mean-0.8) > 1e-12 || bands[1].Edited != 8 {
		t.Fatalf("round bands %+v", bands)
	}
}

// One tiny study end to end: every ablation produces its rows, the router
// row is the reference edit with the router forced open, and a second run
// reads every part from the cache without building a model.
func TestAblationsTinyEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three small LMs")
	}
	a := validAblations()
	a.Base = Config{Facts: FactsBooks, MaxFacts: 40, Dim: 32, Hidden: 20, MLPEpochs: 2000,
		Train: TrainOptions{Steps: 300, LR: 6e-3, TargetAcc: 0.999, MinSteps: 50, Batch: 128}}
	a.Seed, a.SplitSeed = 2, 40
	a.Grid = Grid{Steps: []int{25}, LR: []float64{0.05}, Clip: []float64{1}, Lambda: []float64{1}}
	a.Cache = &diskcache.Cache{Dir: t.TempDir()}
	reports := 0
	res, err := a.Run(func(int, int, string) { reports++ })
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range res.Records {
		count[r.Ablation]++
		if r.Score < 0 || r.Score > 1 || r.Seed != 2 || r.BaseRecall <= 0 {
			t.Fatalf("record %+v", r)
		}
	}
	want := map[string]int{AblationFraction: 4, AblationRouter: 2, AblationWidth: 2, AblationAdaptive: 2, AblationSwapMLP: 1}
	for k, n := range want {
		if count[k] != n {
			t.Fatalf("%d %q records; want %d (all: %v)", count[k], k, n, count)
		}
	}
	for _, r := range res.Records {
		switch r.Ablation {
		case AblationWidth:
			if r.Hidden != 30 || math.Abs(r.EditsPerUnit-10.0/30) > 1e-12 {
				t.Fatalf("width row %+v; want width 30, 10 edits / 30 units", r)
			}
		case AblationRouter:
			if r.OffTargetPPLRatio != r.OffTargetPPLRatioRouterOpen {
				t.Fatalf("router row reports %v, not the router-open ratio %v", r.OffTargetPPLRatio, r.OffTargetPPLRatioRouterOpen)
			}
		case AblationSwapMLP:
			if !strings.Contains(r.Params, "hebbian-whitened hidden=64") || r.Method != Swap {
				t.Fatalf("swap-MLP row %+v", r)
			}
		}
	}
	if len(res.Sequential) != 4 || res.Sequential[1].Edited != 8 || res.Sequential[3].Method != MEMIT {
		t.Fatalf("sequential %+v; want swap and memit, 2 rounds of 4 facts", res.Sequential)
	}
	if rows := AblationRows(res.Records); len(rows) != 11 {
		t.Fatalf("%d table rows; want 11", len(rows))
	}
	if reports == 0 {
		t.Fatal("no progress reported")
	}
	again, err := a.Run(func(int, int, string) { t.Fatal("the cached run built or edited a model") })
	if err != nil {
		t.Fatal(err)
	}
	j1, _ := json.Marshal(res)
	j2, _ := json.Marshal(again)
	if string(j1) != string(j2) {
		t.Fatal("the cached run differs from the first")
	}
}
