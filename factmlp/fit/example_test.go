package fit_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/fit"
)

// Parameters that grow as F^1.5 give a log–log slope of 1.5.
func ExamplePowerLaw() {
	facts := []float64{64, 128, 256, 512}
	params := []float64{4096, 11585, 32768, 92682}
	l, err := fit.PowerLaw(facts, params)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Short())
	fmt.Printf("predicted at F=1024: %.0f\n", l.Power(1024))
	// Output:
	// slope 1.50, R²=1.000
	// predicted at F=1024: 262144
}
