package rng_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/rng"
)

// Named streams keep draws independent: adding draws to the "gate" stream
// does not move the "down" stream.
func ExampleDerive() {
	a := rng.Derive(42, "down").IntN(1000)
	rng.Derive(42, "gate").IntN(1000) // another stream, drawn in between
	b := rng.Derive(42, "down").IntN(1000)
	fmt.Println(a == b)
	// Output: true
}
