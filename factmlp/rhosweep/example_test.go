package rhosweep_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rhosweep"
)

// Stretching the values (a larger condition number κ) lowers ρ.
func ExampleConfig_Run() {
	pts, err := rhosweep.Config{
		Base:  factset.Spec{Family: "conditioned", N: 64, Dim: 8, Seed: 1},
		Param: "kappa", Values: []float64{1, 1000}, Seeds: 1,
	}.Run(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pts[1].Rho[0] < pts[0].Rho[0])
	// Output: true
}
