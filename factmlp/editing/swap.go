package editing

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// SwapMethodBase is Config.SwapMethod's name for the base model's own
// builder (GD, the authors' protocol); "" means the same.
const SwapMethodBase = "gd"

// swapBuilder returns the builder of the swapped-in MLP: Config.Builder
// for "" and SwapMethodBase, else the registered method, verified.
func (c Config) swapBuilder() (Builder, error) {
	if c.SwapHidden < 0 {
		return nil, fmt.Errorf("editing: swap width %d; it must be ≥ 1 (0: the base MLP's width %d)", c.SwapHidden, c.Hidden)
	}
	if c.SwapMethod == "" || c.SwapMethod == SwapMethodBase {
		return c.Builder, nil
	}
	m, err := method.New(c.SwapMethod, method.Settings{})
	if err != nil {
		return nil, fmt.Errorf("editing: swap method: %w (%s: the base MLP's own GD builder)", err, SwapMethodBase)
	}
	return method.Verified(m), nil
}

// swapHidden is the swapped-in MLP's width.
func (c Config) swapHidden() int {
	if c.SwapHidden > 0 {
		return c.SwapHidden
	}
	return c.Hidden
}

// SwapMLP builds a brand-new fact MLP for the edited map with the swap
// builder (Config.SwapMethod; default the base model's own), width
// (Config.SwapHidden; default the base's) and seed (MLP swapping); it must
// store every fact.
func (b *Base) SwapMLP(sp *EditSplit) (*mlp.Gated, error) {
	build, err := b.Config.swapBuilder()
	if err != nil {
		return nil, err
	}
	fs := b.swapFacts(sp)
	g, err := build(fs, b.Config.swapHidden(), b.Config.Seed)
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

// swapParams describes the swap's MLP for Result.Params.
func (c Config) swapParams() string {
	if c.SwapMethod == "" || c.SwapMethod == SwapMethodBase {
		return fmt.Sprintf("hidden=%d", c.swapHidden())
	}
	return fmt.Sprintf("%s hidden=%d", c.SwapMethod, c.swapHidden())
}

// swapFacts is the base's fact set with the split's objects.
func (b *Base) swapFacts(sp *EditSplit) *factset.FactSet {
	return &factset.FactSet{Keys: b.Facts.Keys, Values: b.Facts.Values, Map: append([]int{}, sp.Objects...)}
}
