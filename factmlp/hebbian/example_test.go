package hebbian_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/hebbian"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// Build the three variants at the successor's default width m = 4d on 64
// facts in ℝ^16 and check them exactly.
func Example() {
	fs, err := factset.Spec{N: 64, Dim: 16, Seed: 1}.Generate()
	if err != nil {
		panic(err)
	}
	for _, v := range hebbian.Variants {
		g, err := hebbian.Build(fs, 0, hebbian.Options{Variant: v, Seed: 1})
		if err != nil {
			panic(err)
		}
		rep, err := mlp.Verify(g, fs)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-22s m = %d, params %d, stores %v\n", g.Method, g.Hidden(), hebbian.SuccessorParams(g), rep.Stores())
	}
	// Output:
	// hebbian-unwhitened     m = 64, params 3072, stores false
	// hebbian-whitened       m = 64, params 3072, stores true
	// hebbian-data-dependent m = 64, params 3072, stores true
}
