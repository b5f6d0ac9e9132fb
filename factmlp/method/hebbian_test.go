package method

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/hebbian"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// The three Hebbian variants are registered under their method names, take
// no settings, build at the default width 4d, and their smallest widths on
// one fact set are the recorded ones (a change in the construction shows
// up here).
func TestHebbianRegistered(t *testing.T) {
	fs := facts(t, factset.Spec{N: 24, Dim: 16, Seed: 2})
	recorded := map[string]int{"hebbian-unwhitened": 63, "hebbian-whitened": 17, "hebbian-data-dependent": 10}
	for _, v := range hebbian.Variants {
		e, err := Lookup(v.MethodName())
		if err != nil {
			t.Fatal(err)
		}
		if u := e.Unused(Settings{Act: mlp.ReLU, CodeDim: 4}); len(u) != 2 {
			t.Fatalf("%s takes no settings; unused = %v", e.Name, u)
		}
		m, err := New(e.Name, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.Prepare(fs, 1)
		if err != nil {
			t.Fatal(err)
		}
		g, _, err := b.Build(0)
		if err != nil || g.Hidden() != 64 || g.Method != e.Name {
			t.Fatalf("%s default width: %v, %v", e.Name, g, err)
		}
		mn, err := Smallest(b, SmallestOptions{Max: 1 << 12})
		if err != nil {
			t.Fatal(err)
		}
		if mn.Hidden != recorded[e.Name] || !mn.Report.Stores() || mn.Params != 3*mn.Hidden*16 {
			t.Errorf("%s: smallest width %d (%d params, %v); recorded %d", e.Name, mn.Hidden, mn.Params, mn.Report, recorded[e.Name])
		}
		if _, err := Verified(m)(fs, mn.Hidden, 1); err != nil {
			t.Errorf("%s: Verified at its smallest width: %v", e.Name, err)
		}
	}
}
