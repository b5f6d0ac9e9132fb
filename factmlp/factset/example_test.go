package factset_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// A tied fact set: 1000 unit-norm embeddings in ℝ^64, each key mapped to a
// random other row of the same table.
func ExampleNewTied() {
	table := factset.Spherical(1000, 64, rng.New(42))
	fs := factset.NewTied(table, rng.New(43))
	fmt.Println(fs.NumFacts(), fs.NumValues(), fs.Dim(), fs.Validate())
	// Output: 1000 1000 64 <nil>
}
