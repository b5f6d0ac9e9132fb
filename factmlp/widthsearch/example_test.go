package widthsearch_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/widthsearch"
)

// Search finds the smallest width that satisfies a success predicate; here
// a synthetic one whose threshold is 37 (a real predicate builds an MLP of
// width h and verifies it).
func ExampleSearch() {
	stores := func(h int) (bool, int, error) { return h >= 37, 3 * h * 16, nil }
	r, err := widthsearch.Search(stores, widthsearch.Options{Start: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.MinHidden, r.MinParams, len(r.Trials), "trials")
	// Output: 37 1776 10 trials
}
