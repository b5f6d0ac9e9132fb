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

// Accuracy that falls as the Lipschitz constant grows, with one exception,
// ranks as a strong negative correlation.
func ExampleSpearman() {
	lipschitz := []float64{3, 5, 8, 13, 21, 34}
	accuracy := []float64{1.0, 0.99, 0.97, 0.98, 0.9, 0.7}
	r, err := fit.Spearman(lipschitz, accuracy)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	// Output:
	// Spearman ρ = -0.943 [95% CI -0.99, -0.54], n=6
}
