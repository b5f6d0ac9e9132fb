package editing

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// A small base model: 30 countries, the default CE-trained GD fact MLP and
// fact-adaptive training with 3 extra MLPs, built once and shared (no test
// modifies it). (An exact least-squares MLP of width ≥ N is a poor choice
// here: the LM adapts to its off-key quirks and a swapped least-squares MLP
// reached only ~83% efficacy.)
var smallBase = sync.OnceValues(func() (*Base, error) {
	return BuildBase(Config{MaxFacts: 30, Dim: 32, Hidden: 16, AdaptiveMaps: 3, Seed: 3,
		Train: TrainOptions{Steps: 600, LR: 6e-3, TargetAcc: 0.999, MinSteps: 50, Batch: 128}})
})

func mustSmallBase(t *testing.T) *Base {
	t.Helper()
	b, err := smallBase()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBaseModelReadsItsFactMLP(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	b := mustSmallBase(t)
	train, _ := b.Recall(nil, nil)
	if train < 0.9 {
		t.Fatalf("base recall %.3f on training phrasings; want ≥ 0.9", train)
	}
	// Swap: the new MLP's facts are what the model now says.
	sp, err := b.NewSplit(0.2, 5)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Run(Swap, sp, SmallGrid())
	if err != nil {
		t.Fatal(err)
	}
	if res.Efficacy < 0.9*train || res.Specificity < 0.9*train || math.Abs(res.OffTargetCEDelta) > 0.05 {
		t.Fatalf("swap: %+v (base recall %.3f)", res.Metrics, train)
	}
	// The unedited MLP scores the altered facts only where a permutation
	// left a fact in place; a real edit must beat it.
	none := b.Evaluate(sp, nil, true)
	if none.Specificity < 0.9*train || none.OffTargetCEDelta != 0 || none.OffTargetPPLRatio != 1 || none.OffTargetPPLRatioRouterOpen != 1 {
		t.Fatalf("unedited model: %+v", none)
	}
	for _, m := range []string{MEMIT, ROME, AlphaEdit} {
		r, err := b.Run(m, sp, SmallGrid())
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if r.Score < 0 || r.Score > 1 || r.Tried == 0 || r.MLP == nil {
			t.Fatalf("%s: %+v", m, r)
		}
		if m != AlphaEdit && r.Efficacy <= none.Efficacy {
			t.Errorf("%s efficacy %.3f does not beat the unedited model's %.3f", m, r.Efficacy, none.Efficacy)
		}
	}
	got, err := b.Ask("The capital of "+b.Data.Subjects[0]+" is", nil)
	if err != nil || got == "" {
		t.Fatalf("Ask: %q %v", got, err)
	}
	if _, err := b.NewSplit(0, 1); err == nil {
		t.Fatal("fraction 0 accepted")
	}
}

// Fact-adaptive training: every extra MLP stores its own re-assignment of
// the objects, and the trained LM reads each of them, not only its own.
func TestAdaptiveVariantsAreRead(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	b := mustSmallBase(t)
	vs, err := b.variants(b.LM.Fact)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 4 || vs[0].Fact != b.LM.Fact {
		t.Fatalf("%d variants (first is the model's MLP: %v); want the model's MLP and 3 more", len(vs), vs[0].Fact == b.LM.Fact)
	}
	nT := b.Data.NumTrain
	for k, v := range vs[1:] {
		objects := make([]int, b.NumFacts())
		moved := 0
		for i := range objects {
			s := v.Sents[i*nT]
			objects[i] = s[len(s)-1]
			if objects[i] != b.Data.ObjectTok[i] {
				moved++
			}
		}
		if moved < b.NumFacts()/2 {
			t.Fatalf("variant %d moves only %d of %d objects", k+1, moved, b.NumFacts())
		}
		rep, err := mlp.Verify(v.Fact, &factset.FactSet{Keys: b.Facts.Keys, Values: b.Facts.Values, Map: objects})
		if err != nil || !rep.Stores() {
			t.Fatalf("variant %d MLP does not store its map: %v %v", k+1, rep, err)
		}
		if train, _ := b.Recall(v.Fact, objects); train < 0.9 {
			t.Fatalf("the LM reads variant %d's MLP with recall %.3f; want ≥ 0.9", k+1, train)
		}
	}
	// Variants must match the model's MLP in shape and sentence count.
	bad := []Variant{vs[0], {Fact: vs[1].Fact, Sents: vs[1].Sents[:3]}}
	if _, err := b.LM.TrainVariants(bad, TrainOptions{Steps: 1}); err == nil || !strings.Contains(err.Error(), "sentence") {
		t.Fatalf("mismatched variants: err %v", err)
	}
}

// The Go forward used for evaluation must match the GoMLX training graph:
// one training step with learning rate ~0 leaves the model unchanged, and
// the graph's fact recall equals the Go forward's on the same sentences.
func TestGoForwardMatchesTrainingGraph(t *testing.T) {
	b, err := BuildBase(Config{MaxFacts: 12, Dim: 16, Hidden: 16, Builder: LeastSquares, Seed: 9,
		Train: TrainOptions{Steps: 30, MinSteps: 30, Batch: 96}})
	if err != nil {
		t.Fatal(err)
	}
	var sents [][]int
	for i := range b.Data.Subjects {
		for tpl := 0; tpl < b.Data.NumTrain; tpl++ {
			sents = append(sents, b.Data.Sentence(i, tpl, b.Data.ObjectTok[i]))
		}
	}
	before := *b.LM
	st, err := b.LM.Train(sents, TrainOptions{Steps: 1, MinSteps: 1, LR: 1e-12, Batch: len(sents), RouterL1: -1})
	if err != nil {
		t.Fatal(err)
	}
	// Go-side CE over the same labels.
	ce, n := 0.0, 0.0
	for _, s := range sents {
		in, err := before.Internals(s)
		if err != nil {
			t.Fatal(err)
		}
		L := before.Logits(in, nil)
		for i := 0; i+1 < len(s); i++ {
			lp, _ := logSoftmaxAt(L.RawRowView(i), s[i+1])
			ce -= lp
			n++
		}
	}
	if got := ce / n; math.Abs(got-st.Loss) > 1e-3*math.Max(1, got) {
		t.Fatalf("Go forward CE %.6f, GoMLX graph CE %.6f", got, st.Loss)
	}
	_ = mlp.SiLU
}
