package mlp

import (
	"slices"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// A storing MLP predicts the map; one with a down column redirected
// predicts the other value for that key.
func TestPredict(t *testing.T) {
	fs := factset.NewTied(factset.Spherical(12, 16, rng.New(1)), rng.New(2))
	g, err := Lookup(fs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Predict(g, fs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, fs.Map) {
		t.Errorf("Predict = %v, want the map %v", got, fs.Map)
	}
	// Unit 0 fires only at key 0: make it write value Map[1] instead.
	w := fs.Values.RawRowView(fs.Map[1])
	scale := g.Down.At(0, 0) / fs.Values.At(fs.Map[0], 0)
	for r := range w {
		g.Down.Set(r, 0, w[r]*scale)
	}
	got, _ = Predict(g, fs)
	if got[0] != fs.Map[1] || !slices.Equal(got[1:], fs.Map[1:]) {
		t.Errorf("after redirecting key 0: Predict = %v, want key 0 → %d, the rest unchanged", got, fs.Map[1])
	}
	other := factset.NewTied(factset.Spherical(12, 8, rng.New(1)), rng.New(2))
	if _, err := Predict(g, other); err == nil || !strings.Contains(err.Error(), "dimension 16") {
		t.Errorf("dimension mismatch: %v", err)
	}
}
