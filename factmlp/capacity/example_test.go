package capacity_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/capacity"
)

// PowerLaw fits y = C·x^slope in log–log space.
func ExamplePowerLaw() {
	f, _ := capacity.PowerLaw([]float64{100, 200, 400, 800}, []float64{30, 60, 120, 240})
	fmt.Printf("slope %.2f R² %.2f\n", f.Slope, f.R2)
	// Output: slope 1.00 R² 1.00
}
