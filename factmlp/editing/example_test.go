package editing_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/editing"
	"gonum.org/v1/gonum/mat"
)

// A rank-one ROME edit moves the output at one key by exactly r.
func ExampleROMEUpdate() {
	W := mat.NewDense(2, 3, []float64{1, 0, 0, 0, 1, 0})
	ka := mat.NewDense(3, 1, []float64{0, 0, 1}) // the edited key
	r := mat.NewDense(2, 1, []float64{5, -5})    // wanted change of W·k_a
	kp := mat.NewDense(3, 2, []float64{1, 0, 0, 1, 0, 0})
	dW, _ := editing.ROMEUpdate(W, ka, r, kp)
	var out mat.Dense
	out.Mul(dW, ka)
	fmt.Printf("ΔW·k_a = [%.3f %.3f]\n", out.At(0, 0), out.At(1, 0))
	// Output: ΔW·k_a = [5.000 -5.000]
}
