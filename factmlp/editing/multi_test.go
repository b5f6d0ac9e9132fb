package editing

import (
	"math"
	"slices"
	"testing"

	"github.com/factmlp/factmlp/factmlp/facts"
)

// With several relations, an edit permutes objects within each relation:
// an altered capital gets another altered fact's capital, never a region.
func TestMultiRelationSplitStaysWithinRelations(t *testing.T) {
	d, err := facts.NewMultiDataset(facts.FromGountries()[:40], []string{"capital", "region", "currency"})
	if err != nil {
		t.Fatal(err)
	}
	b := &Base{Data: d}
	sp, err := b.NewSplit(0.3, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Altered) != 36 {
		t.Fatalf("%d altered facts of 120 at 30%%", len(sp.Altered))
	}
	for rel := range d.Rels {
		var before, after []int
		for _, i := range sp.Altered {
			if d.FactRelation[i] == rel {
				before = append(before, d.ObjectTok[i])
				after = append(after, sp.Objects[i])
			}
		}
		slices.Sort(before)
		slices.Sort(after)
		if !slices.Equal(before, after) {
			t.Fatalf("relation %s: objects %v became %v", d.Rels[rel].Name, before, after)
		}
	}
	for i := range sp.Objects {
		if !sp.isAltered[i] && sp.Objects[i] != d.ObjectTok[i] {
			t.Fatalf("unaltered fact %d changed", i)
		}
	}
}

// A tiny two-relation model: the fact keys are (subject, relation), the
// LM learns to deliver them, and swapping the MLP edits one relation of a
// country without touching its other relation.
func TestMultiRelationBase(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	b, err := BuildBase(Config{Relations: []string{"capital", "region"}, MaxFacts: 12, Dim: 32, Hidden: 16, Builder: GD(2000), AdaptiveMaps: -1, Seed: 3,
		Train: TrainOptions{Steps: 600, LR: 6e-3, TargetAcc: 0.999, MinSteps: 50, Batch: 128}})
	if err != nil {
		t.Fatal(err)
	}
	if b.NumFacts() != 24 {
		t.Fatalf("%d facts; want 12 countries × 2 relations", b.NumFacts())
	}
	// Keys: the normalised sum of subject and relation-noun embeddings.
	for i := 0; i < b.NumFacts(); i++ {
		dot, nrm := 0.0, 0.0
		for c := 0; c < b.LM.Dim(); c++ {
			s := b.LM.Emb.At(b.Data.SubjectTok[i], c) + b.LM.Emb.At(b.Data.RelationTok[i], c)
			dot += s * b.Facts.Keys.At(i, c)
			nrm += s * s
		}
		if math.Abs(dot/math.Sqrt(nrm)-1) > 1e-9 {
			t.Fatalf("key %d is not the normalised subject + relation embedding", i)
		}
	}
	train, _ := b.Recall(nil, nil)
	if train < 0.9 {
		t.Fatalf("base recall %.3f on training phrasings; want ≥ 0.9", train)
	}
	x, y := b.Data.Subjects[0], b.Data.Subjects[1]
	sp, err := b.SplitFromEdits(map[string]string{x: b.Data.Objects[1], y: b.Data.Objects[0]}) // swap two capitals
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sp.Altered, []int{0, 1}) && !slices.Equal(sp.Altered, []int{1, 0}) {
		t.Fatalf("altered %v; want the capital facts 0 and 1", sp.Altered)
	}
	g, err := b.SwapMLP(sp)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Ask("The capital of "+x+" is", g)
	if err != nil || got != b.Data.Objects[1] {
		t.Fatalf("after the swap the capital of %s is %q (%v); want %s", x, got, err, b.Data.Objects[1])
	}
	region := b.Data.Objects[b.NumFacts()/2]
	if got, err := b.Ask("The region of "+x+" is", g); err != nil || got != region {
		t.Fatalf("after the swap the region of %s is %q (%v); want it unchanged, %s", x, got, err, region)
	}
}
