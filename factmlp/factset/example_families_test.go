package factset_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
)

// An untied, many-to-one fact set of spiked embeddings: 300 keys, 100 values
// in ℝ^32, every value the target of at least one key.
func ExampleSpec() {
	spec := factset.Spec{Family: "spiked", N: 100, Dim: 32, Keys: 300, Beta: 1.5, Untied: true, Seed: 7}
	fs, err := spec.Generate()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec)
	fmt.Println(fs.NumFacts(), fs.NumValues(), fs.Dim(), fs.Tied)
	// Output:
	// spiked n=100 d=32 β=1.5 untied keys=300 seed=7
	// 300 100 32 false
}
