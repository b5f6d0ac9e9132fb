package editing

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/factmlp/factmlp/factmlp/facts"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// EditSplit is one edit request: which facts are altered and their new objects.
type EditSplit struct {
	Fraction float64
	Seed     uint64
	Altered  []int // fact indices
	// Objects is every fact's object token after the edit (the altered
	// facts' objects permuted among themselves; fixed points are possible,
	// as in the authors' protocol).
	Objects []int
	// EditTemplate is every fact's "train" phrasing, the sentence the
	// baselines compute keys and residuals on; the other phrasings
	// (training and held-out) are its paraphrases.
	EditTemplate []int
	isAltered    []bool
}

// NewSplit alters round(N·fraction) facts (at least one): the test split
// of an edit request, drawn from seed.
func (b *Base) NewSplit(fraction float64, seed uint64) (*EditSplit, error) {
	if !(fraction > 0 && fraction <= 1) {
		return nil, fmt.Errorf("editing: edit fraction %g; it must be in (0, 1]", fraction)
	}
	N := b.NumFacts()
	na := max(1, int(math.Round(float64(N)*fraction)))
	r := rng.Derive(seed, "editing/split")
	return b.newSplit(fraction, seed, r.Perm(N)[:na], r), nil
}

// ValidationSplit is the split on which the baselines' hyper-parameters are
// selected for test: as many altered facts, drawn from another stream of
// the same seed among the facts test does not alter (when enough remain;
// otherwise among all facts), with their own permutation and edit
// phrasings. Nothing of test but its altered set is read, and the test
// split's new objects never are.
func (b *Base) ValidationSplit(test *EditSplit) (*EditSplit, error) {
	if test == nil || len(test.isAltered) != b.NumFacts() {
		return nil, fmt.Errorf("editing: ValidationSplit needs a split of this base model's %d facts", b.NumFacts())
	}
	N, na := b.NumFacts(), len(test.Altered)
	r := rng.Derive(test.Seed, "editing/validation")
	pool := make([]int, 0, N)
	for i := 0; i < N; i++ {
		if !test.isAltered[i] {
			pool = append(pool, i)
		}
	}
	if len(pool) < na {
		pool = pool[:0]
		for i := 0; i < N; i++ {
			pool = append(pool, i)
		}
	}
	perm := r.Perm(len(pool))[:na]
	altered := make([]int, na)
	for k, p := range perm {
		altered[k] = pool[p]
	}
	return b.newSplit(test.Fraction, test.Seed, altered, r), nil
}

func (b *Base) newSplit(fraction float64, seed uint64, altered []int, r *rand.Rand) *EditSplit {
	N := b.NumFacts()
	sp := &EditSplit{Fraction: fraction, Seed: seed, Altered: altered,
		EditTemplate: make([]int, N), isAltered: make([]bool, N)}
	sp.Objects = permuteObjects(b.Data, sp.Altered, r)
	for _, i := range sp.Altered {
		sp.isAltered[i] = true
	}
	for i := range sp.EditTemplate {
		sp.EditTemplate[i] = r.IntN(b.Data.NumTrain)
	}
	return sp
}

// permuteObjects returns every fact's object with the objects of the facts
// in altered permuted among themselves (within each relation when the data
// set has several).
func permuteObjects(data *facts.Dataset, altered []int, r *rand.Rand) []int {
	objects := append([]int{}, data.ObjectTok...)
	byRel := map[int][]int{}
	for _, i := range altered {
		rel := 0
		if data.FactRelation != nil {
			rel = data.FactRelation[i]
		}
		byRel[rel] = append(byRel[rel], i)
	}
	for rel := range max(1, len(data.Rels)) {
		idx := byRel[rel]
		perm := r.Perm(len(idx))
		for k, i := range idx {
			objects[i] = data.ObjectTok[idx[perm[k]]]
		}
	}
	return objects
}

// SplitFromEdits makes an edit request from subject → object names (for
// example {"France": "Rome", "Italy": "Paris"}); objects must be objects of
// the relation (so that they are tokens of the vocabulary).
func (b *Base) SplitFromEdits(edits map[string]string) (*EditSplit, error) {
	N := b.NumFacts()
	sp := &EditSplit{Objects: append([]int{}, b.Data.ObjectTok...), EditTemplate: make([]int, N), isAltered: make([]bool, N)}
	for s, o := range edits {
		i := -1
		for k, name := range b.Data.Subjects {
			// With several relations, the fact of s whose relation has o
			// among its objects.
			if name == s && (b.Data.FactRelation == nil || b.relationHasObject(b.Data.FactRelation[k], o)) {
				i = k
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("editing: unknown subject %q", s)
		}
		tok := b.Data.Vocab.ID("object", o)
		if tok < 0 {
			return nil, fmt.Errorf("editing: %q is not an object of relation %s; objects are the table's values (e.g. %q)", o, b.Data.Relation.Name, b.Data.Objects[0])
		}
		sp.Objects[i] = tok
		sp.isAltered[i] = true
		sp.Altered = append(sp.Altered, i)
	}
	if len(sp.Altered) == 0 {
		return nil, fmt.Errorf("editing: no edits given")
	}
	sp.Fraction = float64(len(sp.Altered)) / float64(N)
	return sp, nil
}

func (b *Base) relationHasObject(rel int, o string) bool {
	for k, r := range b.Data.FactRelation {
		if r == rel && b.Data.Objects[k] == o {
			return true
		}
	}
	return false
}
