package capacity_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/capacity"
)

// Search finds the smallest width that satisfies a success predicate; here
// a synthetic one whose threshold is 37.
func ExampleSearch() {
	stores := func(h int) (bool, int, error) { return h >= 37, 3 * h * 16, nil }
	r, err := capacity.Search(stores, capacity.SearchOptions{Start: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.MinHidden, r.MinParams, len(r.Trials), "trials")
	// Output: 37 1776 10 trials
}

// PowerLaw fits y = C·x^slope in log–log space.
func ExamplePowerLaw() {
	f, _ := capacity.PowerLaw([]float64{100, 200, 400, 800}, []float64{30, 60, 120, 240})
	fmt.Printf("slope %.2f R² %.2f\n", f.Slope, f.R2)
	// Output: slope 1.00 R² 1.00
}
