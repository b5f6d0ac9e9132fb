package plots_test

import (
	"fmt"

	"github.com/factmlp/factmlp/plots"
)

// A log–log figure with error bars over seeds and a fitted line.
func ExampleAddSeriesFit() {
	p := plots.NewLogLog("Parameters needed", "facts", "parameters")
	s := plots.Series{Method: "encdec", X: []float64{64, 128, 256}, Y: [][]float64{{60, 70}, {130, 125}, {250, 262}}}
	f, err := plots.AddSeriesFit(p, s)
	fmt.Printf("%.1f %v\n", f.Slope, err)
	// Output: 1.0 <nil>
}
