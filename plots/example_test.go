package plots_test

import (
	"fmt"

	"github.com/factmlp/factmlp/plots"
)

// A power law fitted in log–log space, as drawn by AddFit.
func ExamplePowerLawFit() {
	xs := []float64{64, 128, 256, 512}
	ys := []float64{640, 1280, 2560, 5120}
	f, err := plots.PowerLawFit(xs, ys)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f)
	// Output: slope 1.00, R²=1.000
}

// A log–log figure with error bars over seeds and a fitted line.
func ExampleAddSeriesFit() {
	p := plots.NewLogLog("Parameters needed", "facts", "parameters")
	s := plots.Series{Method: "encdec", X: []float64{64, 128, 256}, Y: [][]float64{{60, 70}, {130, 125}, {250, 262}}}
	f, err := plots.AddSeriesFit(p, s)
	fmt.Printf("%.1f %v\n", f.Slope, err)
	// Output: 1.0 <nil>
}
