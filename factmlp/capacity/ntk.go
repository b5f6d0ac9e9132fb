package capacity

import (
	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// NTK builds the gated NTK baseline of Nichani et al. (2024) at hidden width
// h with construction.NTKUnverified (paper.md §4.1, Hermite degree 1). It is
// not verified here: the capacity search's predicate verifies it.
func NTK(fs *factset.FactSet, h int, act mlp.Activation, seed uint64) (*mlp.Gated, error) {
	return construction.NTKUnverified(fs, h, construction.NTKOptions{Act: act, Seed: seed})
}
