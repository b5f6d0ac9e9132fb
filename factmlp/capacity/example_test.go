package capacity_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/capacity"
)

// CostRatios pairs two methods seed by seed on the same fact sets and
// reports the geometric mean of their parameter ratio with its spread.
func ExampleCostRatios() {
	recs := []capacity.Record{
		{Method: "encdec", Family: "spherical", Dim: 32, Facts: 256, Seed: 1, Found: true, MinParams: 2000},
		{Method: "encdec", Family: "spherical", Dim: 32, Facts: 256, Seed: 2, Found: true, MinParams: 8000},
		{Method: "gd", Family: "spherical", Dim: 32, Facts: 256, Seed: 1, Found: true, MinParams: 1000},
		{Method: "gd", Family: "spherical", Dim: 32, Facts: 256, Seed: 2, Found: true, MinParams: 1000},
	}
	for _, r := range capacity.CostRatios(recs, "encdec", "gd") {
		fmt.Printf("F=%d seeds=%d ratio %.1f (min %.0f, max %.0f)\n", r.Facts, r.Seeds, r.Mean, r.Min, r.Max)
	}
	// Output: F=256 seeds=2 ratio 4.0 (min 2, max 8)
}
