package capacity

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
)

// TestNearFindsSameGDWidths: on small GD points, a search started from a
// neighbour's prediction one below or one above the width the default
// search finds (widthsearch.Options.Near, as Measure runs a point with a
// start) finds that same width in at most 4 trials, over one memo of
// trained widths.
func TestNearFindsSameGDWidths(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a few dozen small MLPs")
	}
	for _, p := range []Point{
		{Method: "gd", Facts: factset.Spec{N: 64, Dim: 16, Seed: 1}, Seed: 1, GD: GD{Epochs: 400}},
		{Method: "gd", Facts: factset.Spec{N: 96, Dim: 16, Seed: 2}, Seed: 2, GD: GD{Epochs: 400}},
	} {
		p, err := p.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		fs, err := p.FactSet()
		if err != nil {
			t.Fatal(err)
		}
		pred, guess, _, err := predicate(p, fs, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		memo := map[int]bool{}
		memoPred := func(h int) (bool, int, error) {
			if ok, seen := memo[h]; seen {
				return ok, h, nil
			}
			ok, _, err := pred(h)
			memo[h] = ok
			return ok, h, err
		}
		base, err := widthsearch.Search(memoPred, widthsearch.Options{Start: guess, Descend: true})
		if err != nil || !base.Found {
			t.Fatalf("F=%d: default search: %v, found %v", fs.NumFacts(), err, base != nil && base.Found)
		}
		for _, start := range []int{base.MinHidden - 1, base.MinHidden + 1} {
			near, err := widthsearch.Search(memoPred, widthsearch.Options{Start: start, Near: true})
			if err != nil {
				t.Fatal(err)
			}
			if near.MinHidden != base.MinHidden || len(near.Trials) > 4 {
				t.Errorf("F=%d d=%d: default search found %d; from %d, Near found %d in %v", fs.NumFacts(), fs.Dim(), base.MinHidden, start, near.MinHidden, near.Trials)
			}
		}
	}
}
