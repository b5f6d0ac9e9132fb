package resources_test

import (
	"errors"
	"fmt"

	"github.com/factmlp/factmlp/factmlp/resources"
)

// Refuse a width that cannot fit before allocating anything.
func Example() {
	need := resources.Construct(64, 64, 8, 100_000_000)
	err := resources.Check(need, 16<<30, "--max-memory") // a 16 GiB budget
	fmt.Println(errors.Is(err, resources.ErrTooLarge))
	fmt.Println(resources.Check(resources.Construct(64, 64, 8, 32), 16<<30, "--max-memory"))
	// Output:
	// true
	// <nil>
}
