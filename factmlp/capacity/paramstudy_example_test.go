package capacity_test

import (
	"cmp"
	"fmt"

	"github.com/factmlp/factmlp/factmlp/capacity"
)

// A Fig. 3 sweep is read per method and dimension: slopes of F against
// params on the uncapped points, and bits per parameter.
func ExampleFitFactsPerParam() {
	var recs []capacity.Record
	for _, f := range []int{128, 256, 512, 1024} {
		h := f / 16 // GD-like: params ∝ F
		recs = append(recs, capacity.Record{Method: "gd", Facts: f, Values: f, Dim: 32, Seed: 1, Found: true,
			MinHidden: h, MinParams: 3 * h * 32, ParamsWithoutSeeded: 3 * h * 32, MaxHidden: 1 << 16})
	}
	// encdec's code dimension reached d at F = 1024: capped, not fitted.
	for _, c := range []struct{ f, h, m int }{{128, 80, 8}, {256, 192, 12}, {512, 448, 14}, {1024, 1024, 32}} {
		recs = append(recs, capacity.Record{Method: "encdec", Facts: c.f, Values: c.f, Dim: 32, Seed: 1, Found: true,
			MinHidden: c.h, MinParams: 3 * c.h * 32, ParamsWithoutSeeded: c.h * 32, CodeDim: c.m, MaxHidden: 1 << 16})
	}
	fits, err := capacity.FitFactsPerParam(recs, []string{"gd", "encdec"}, 4, capacity.AllStored)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fits {
		fmt.Printf("%s d=%d: slope %.2f over F = %s; left out: %s\n", f.Method, f.Dim, f.Slope, f.Facts, cmp.Or(f.Left, "none"))
	}
	for _, e := range capacity.Efficiencies(recs, []string{"gd"})[:1] {
		fmt.Printf("%s F=%d: %.2f bits per parameter\n", e.Method, e.Facts, e.Bits)
	}
	// Output:
	// gd d=32: slope 1.00 over F = 128…1024; left out: none
	// encdec d=32: slope 0.80 over F = 128…512; left out: F=1024 (1 seed): code dimension m = d = 32
	// gd F=128: 1.17 bits per parameter
}
