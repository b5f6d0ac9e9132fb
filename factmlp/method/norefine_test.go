package method

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
)

// encdec-norefine is encdec with every code exactly R·u*: it stores by the
// exact argmax check, never with a smaller code dimension than the refined
// construction, and the same seed gives the same MLP.
func TestEncDecNoRefine(t *testing.T) {
	fs := facts(t, factset.Spec{Family: factset.FamilySpiked, Beta: 10, N: 96, Dim: 48, Seed: 3})
	smallest := func(name string) *Minimal {
		m, err := New(name, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		if m.Name() != name {
			t.Fatalf("%s names itself %q", name, m.Name())
		}
		b, err := m.Prepare(fs, 1)
		if err != nil {
			t.Fatal(err)
		}
		mn, err := Smallest(b, SmallestOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !mn.Report.Stores() || mn.Method != name {
			t.Fatalf("%s: %+v does not store (or names another method)", name, mn.Report)
		}
		return mn
	}
	plain, refined := smallest("encdec-norefine"), smallest("encdec")
	if plain.CodeDim < refined.CodeDim {
		t.Fatalf("without refinement m = %d < %d with it", plain.CodeDim, refined.CodeDim)
	}
	if again := smallest("encdec-norefine"); again.Hidden != plain.Hidden || again.CodeDim != plain.CodeDim {
		t.Fatalf("same seed, different result: %d/%d then %d/%d", plain.Hidden, plain.CodeDim, again.Hidden, again.CodeDim)
	}
	t.Logf("m = %d without refinement, %d with; hidden %d vs %d", plain.CodeDim, refined.CodeDim, plain.Hidden, refined.Hidden)
	if _, err := New("encdec-norefine", Settings{Act: "identity"}); err == nil {
		t.Fatal("encdec-norefine accepted the identity gate")
	}
}
