package editing

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// SwapMLP builds a brand-new fact MLP for the edited map with the base
// model's builder, width and seed (MLP swapping); it must store every fact.
func (b *Base) SwapMLP(sp *EditSplit) (*mlp.Gated, error) {
	fs := &factset.FactSet{Keys: b.Facts.Keys, Values: b.Facts.Values, Map: append([]int{}, sp.Objects...)}
	g, err := b.Config.Builder(fs, b.Config.Hidden, b.Config.Seed)
	if err != nil {
		return nil, err
	}
	rep, err := mlp.Verify(g, fs)
	if err != nil {
		return nil, err
	}
	if !rep.Stores() {
		return nil, fmt.Errorf("editing: the swapped-in MLP does not store the edited facts: %s", rep)
	}
	return g, nil
}
