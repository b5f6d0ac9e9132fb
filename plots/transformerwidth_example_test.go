package plots_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/transformer"
	"github.com/factmlp/factmlp/plots"
)

// What a width slider shows: the widths a Transformer width search tried,
// and the reading at one of them.
func ExampleTransformerWidthAt() {
	pts := []transformer.ScalingPoint{{Method: "encdec", Facts: 64, Seed: 1, Threshold: 0.99, StandaloneHidden: 10, MinHidden: 12,
		Trials: []transformer.CapacityTrial{{Hidden: 10, Recall: 0.9, FactAdaptive: 0.8, Steps: 300}, {Hidden: 12, Recall: 1, FactAdaptive: 0.995, Steps: 80, Passed: true}}}}
	s := plots.WidthSearches(pts)[0]
	_, r, err := plots.TransformerWidthAt(pts, s.Method, s.Facts, s.Widths[s.Initial])
	fmt.Println(s.Widths, err)
	fmt.Println(r.Markdown())
	// Output:
	// [10 12] <nil>
	// **encdec, F = 64, fact-MLP width 12.** Seed 1: recall **100.00%**, fact-adaptive **99.50%** (passes the threshold 0.99) after 80 steps. Smallest width per seed ([1]): standalone 10; in the Transformer 12.
}
