package editing

import (
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/training"
)

// Hyper-parameters are chosen on the validation split: the test split is
// measured once (the reported result), never during the grid search, and
// the chosen setting does not depend on the test split's new objects.
func TestSelectionNeverSeesTheTestSplit(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	b := mustSmallBase(t)
	test, err := b.NewSplit(0.2, 11)
	if err != nil {
		t.Fatal(err)
	}
	val, err := b.ValidationSplit(test)
	if err != nil {
		t.Fatal(err)
	}
	if len(val.Altered) != len(test.Altered) {
		t.Fatalf("validation alters %d facts, test %d", len(val.Altered), len(test.Altered))
	}
	for _, i := range val.Altered {
		if test.isAltered[i] {
			t.Fatalf("fact %d is altered in both the validation and the test split", i)
		}
	}
	// The same test facts with other new objects: selection must not move.
	other := *test
	other.Objects = append([]int{}, test.Objects...)
	other.Objects[test.Altered[0]], other.Objects[test.Altered[1]] = test.Objects[test.Altered[1]], test.Objects[test.Altered[0]]
	counts := map[*EditSplit]int{}
	b.onEvaluate = func(sp *EditSplit) { counts[sp]++ }
	defer func() { b.onEvaluate = nil }()
	grid := SmallGrid()
	for _, m := range []string{MEMIT, ROME, AlphaEdit} {
		clear(counts)
		r, err := b.Run(m, test, grid)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if counts[test] != 1 {
			t.Fatalf("%s measured the test split %d times; want once (the reported result)", m, counts[test])
		}
		if len(counts) < 2 {
			t.Fatalf("%s: no validation measurements (%v)", m, counts)
		}
		hp, score, _, err := b.Select(m, val, grid)
		if err != nil {
			t.Fatal(err)
		}
		if hp.String(m) != r.Params || score != r.ValidationScore {
			t.Fatalf("%s: Run chose %q (validation %.4f); selection on the validation split alone gives %q (%.4f)", m, r.Params, r.ValidationScore, hp.String(m), score)
		}
		r2, err := b.Run(m, &other, grid)
		if err != nil {
			t.Fatal(err)
		}
		if r2.Params != r.Params {
			t.Fatalf("%s: changing the test split's new objects changed the chosen setting (%q → %q)", m, r.Params, r2.Params)
		}
	}
	if _, err := b.ValidationSplit(nil); err == nil {
		t.Fatal("ValidationSplit(nil) accepted")
	}
}

func TestBookConfigDefaults(t *testing.T) {
	c := Config{Facts: FactsBooks, MaxFacts: 2048, Dim: 128}.withDefaults()
	if c.Hidden != 128 || c.MLPLoss != training.MSE || c.AdaptiveMaps >= 0 {
		t.Fatalf("books N=2048, d=128: hidden %d, loss %s, adaptive maps %d; want 128 (24 params per fact), mse, none", c.Hidden, c.MLPLoss, c.AdaptiveMaps)
	}
	p := PaperBooksConfig().withDefaults()
	if p.MaxFacts != 16384 || p.Dim != 256 || p.Hidden != 512 || p.MLPLoss != training.MSE || p.AdaptiveMaps >= 0 {
		t.Fatalf("paper config %+v", p)
	}
	if c := (Config{}).withDefaults(); c.Facts != FactsCountries || c.Hidden != DefaultHidden || c.AdaptiveMaps != DefaultAdaptiveMaps {
		t.Fatalf("countries defaults changed: %+v", c)
	}
	for _, bad := range []Config{{Facts: "planets"}, {Facts: FactsBooks, MaxFacts: 1}, {Facts: FactsBooks, MaxFacts: 99999}} {
		if _, err := BuildBase(bad); err == nil || !(strings.Contains(err.Error(), "planets") || strings.Contains(err.Error(), "16384") || strings.Contains(err.Error(), "at least 2")) {
			t.Errorf("%+v: error %v", bad, err)
		}
	}
}

// The book → author pipeline end to end on 48 facts: the base model reads
// its single MSE-trained fact MLP, and swapping in a new one edits.
func TestBookBaseAndSwap(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	b, err := BuildBase(Config{Facts: FactsBooks, MaxFacts: 48, Dim: 32, Hidden: 24, MLPEpochs: 3000, Seed: 2,
		Train: TrainOptions{Steps: 500, LR: 6e-3, TargetAcc: 0.999, MinSteps: 50, Batch: 128}})
	if err != nil {
		t.Fatal(err)
	}
	if b.NumFacts() != 48 || b.NumTemplates() != 16 || b.Data.Subjects[0] != "A Murder is Announced" {
		t.Fatalf("%d facts, %d phrasings, first book %q", b.NumFacts(), b.NumTemplates(), b.Data.Subjects[0])
	}
	train, _ := b.Recall(nil, nil)
	if train < 0.9 {
		t.Fatalf("base recall %.3f; want ≥ 0.9", train)
	}
	sp, err := b.NewSplit(0.25, 4)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Run(Swap, sp, SmallGrid())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("books: base recall %.3f, swap %+v", train, res.Metrics)
	if res.Efficacy < 0.5 || res.Specificity < 0.8*train || res.OffTargetPPLRatio <= 0 {
		t.Fatalf("swap on books: %+v (base recall %.3f)", res.Metrics, train)
	}
}

func TestOffTargetSentencesCap(t *testing.T) {
	if c := (Config{Facts: FactsBooks}).withDefaults(); c.OffTargetSentences != DefaultBookOffTargetSentences {
		t.Fatalf("books: OffTargetSentences %d; want %d", c.OffTargetSentences, DefaultBookOffTargetSentences)
	}
	if c := (Config{}).withDefaults(); c.OffTargetSentences != 0 {
		t.Fatalf("countries: OffTargetSentences %d; want 0 (all)", c.OffTargetSentences)
	}
}

// Sequential editing: every round adds new edited facts to an MLP that
// keeps the earlier rounds' edits; swap stays exact on the cumulative map.
func TestSequentialRounds(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	b := mustSmallBase(t)
	train, _ := b.Recall(nil, nil)
	for _, m := range []string{Swap, MEMIT} {
		rs, err := b.Sequential(m, 3, 0.1, 7, SmallGrid(), nil)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if len(rs) != 3 || rs[0].Edited != 3 || rs[2].Edited != 9 {
			t.Fatalf("%s rounds %+v; want 3 rounds editing 3, 6, 9 facts", m, rs)
		}
		for _, r := range rs {
			if r.Score < 0 || r.Score > 1 || r.OffTargetPPLRatio <= 0 {
				t.Fatalf("%s round %d: %+v", m, r.Round, r.Metrics)
			}
		}
		if m == Swap && rs[2].Specificity < 0.8*train {
			t.Fatalf("swap after 3 rounds: specificity %.3f (base recall %.3f)", rs[2].Specificity, train)
		}
		t.Logf("%s: %+v", m, rs)
	}
	if _, err := b.Sequential(Swap, 20, 0.1, 7, SmallGrid(), nil); err == nil || !strings.Contains(err.Error(), "rounds") {
		t.Fatalf("20 rounds of 10%%: %v", err)
	}
}
