package capacity

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
)

// TestDescendFindsSameGDWidths runs the width search on small GD points
// both ways (halving below a storing start, and Measure's descending steps) over
// one memo of trained widths, and requires the same smallest width with at
// most one failing trial more (a step down can overshoot the threshold by up
// to half its distance from the start; from a start at the threshold it is
// a single failure, see widthsearch.TestSearchDescend).
func TestDescendFindsSameGDWidths(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a few dozen small MLPs")
	}
	for _, p := range []Point{
		// Starts above the widths found (8 and 11), so the two ways differ.
		{Method: "gd", Facts: factset.Spec{N: 64, Dim: 16, Seed: 1}, Seed: 1, GD: GD{Epochs: 400}, Start: 10},
		{Method: "gd", Facts: factset.Spec{N: 96, Dim: 16, Seed: 2}, Seed: 2, GD: GD{Epochs: 400}, Start: 14},
	} {
		p, err := p.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		fs, err := p.FactSet()
		if err != nil {
			t.Fatal(err)
		}
		pred, _, _, err := predicate(p, fs, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		type outcome struct {
			stored bool
			params int
		}
		memo := map[int]outcome{}
		memoPred := func(h int) (bool, int, error) {
			if o, ok := memo[h]; ok {
				return o.stored, o.params, nil
			}
			stored, params, err := pred(h)
			memo[h] = outcome{stored, params}
			return stored, params, err
		}
		fails := func(r *widthsearch.Result) (n int) {
			for _, tr := range r.Trials {
				if !tr.Stored {
					n++
				}
			}
			return n
		}
		halve, err := widthsearch.Search(memoPred, widthsearch.Options{Start: p.Start})
		if err != nil {
			t.Fatal(err)
		}
		descend, err := widthsearch.Search(memoPred, widthsearch.Options{Start: p.Start, Descend: true})
		if err != nil {
			t.Fatal(err)
		}
		if !halve.Found || descend.MinHidden != halve.MinHidden || fails(descend) > fails(halve)+1 {
			t.Errorf("F=%d d=%d: halving found %d (%d failing of %v), descending %d (%d failing of %v)",
				fs.NumFacts(), fs.Dim(), halve.MinHidden, fails(halve), halve.Trials, descend.MinHidden, fails(descend), descend.Trials)
		}
		t.Logf("F=%d d=%d from %d: width %d; trials halving %d (%d failing), descending %d (%d failing)",
			fs.NumFacts(), fs.Dim(), p.Start, halve.MinHidden, len(halve.Trials), fails(halve), len(descend.Trials), fails(descend))
	}
}
