package kernelext_test

import (
	"fmt"
	"os"

	"github.com/factmlp/factmlp/kernelext"
)

// A table is a slice of structs; tags name and format the columns. Outside
// a notebook it prints as aligned text.
func ExampleShowTable() {
	type capital struct {
		Country string  `table:"country"`
		City    string  `table:"capital"`
		Lat     float64 `table:"latitude" fmt:"%.1f°"`
	}
	kernelext.ShowTable([]capital{{"France", "Paris", 48.8566}, {"Japan", "Tokyo", 35.6764}})
	// Output:
	// country  capital  latitude
	// France   Paris    48.9°
	// Japan    Tokyo    35.7°
}

// Pick chooses a size per scale; FACTMLP_SCALE selects the scale.
func ExamplePick() {
	os.Setenv(kernelext.ScaleEnv, "smoke")
	defer os.Unsetenv(kernelext.ScaleEnv)
	facts := kernelext.Pick(64, 1024, 65536)
	fmt.Println(kernelext.CurrentScale(), facts)
	// Output: smoke 64
}

// A check cell: the committed notebook leaves the answer as NoAnswer, which
// is reported as not answered yet; a right answer within the tolerance.
func ExampleCheckAnswer() {
	var answer = kernelext.NoAnswer // the student replaces NoAnswer
	kernelext.CheckAnswer("Exercise 1", answer, 50, 0.01, "each fact costs 3d + 2 parameters")
	answer = 50.2
	kernelext.CheckAnswer("Exercise 1", answer, 50, 0.01, "each fact costs 3d + 2 parameters")
	// Output:
	// ✏️ **Exercise 1 — not answered yet:** replace `kernelext.NoAnswer` with your answer and run the cell again
	// ✅ **Exercise 1 — right:** 50.2 is correct
}

// An interactive cell: a slider over κ redraws the view of the chosen
// value. Outside a browser (here, and when the notebook runner executes a
// notebook) it shows the initial view and returns.
func ExampleSlider() {
	kappas := []float64{1, 10, 100}
	rho := []float64{0.31, 0.12, 0.02} // precomputed, e.g. by kernelext.CachedRun
	names := []string{"κ = 1", "κ = 10", "κ = 100"}
	kernelext.Slider("condition number κ", names, 1, func(i int) (kernelext.View, error) {
		return kernelext.View{Markdown: fmt.Sprintf("At κ = %g, ρ = %.2f.", kappas[i], rho[i])}, nil
	})
	// Output: At κ = 10, ρ = 0.12.
}
