package construction_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
)

// Build the encoder–decoder MLP for 256 spherical facts in 64 dimensions and
// check it: it stores every fact, in float64 and in float32.
func ExampleEncDec() {
	fs, _ := factset.Spec{Family: "spherical", N: 256, Dim: 64, Seed: 1}.Generate()
	g, info, err := construction.EncDec(fs, construction.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stores all facts:", info.Report.Stores())
	fmt.Println("hidden = code dim × units:", g.Hidden() == info.CodeDim*info.Units)
	// Output:
	// stores all facts: true
	// hidden = code dim × units: true
}
