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

// Advantages reads the swap against the best baseline of each ablation
// setting from records of several seeds.
func ExampleAdvantages() {
	var recs []editing.AblationRecord
	for seed, s := range [][2]float64{{0.95, 0.50}, {0.97, 0.52}, {0.96, 0.48}} {
		for k, m := range []string{editing.Swap, editing.MEMIT} {
			recs = append(recs, editing.AblationRecord{Ablation: editing.AblationFraction, Setting: "reference", Seed: uint64(seed + 1),
				Result: editing.Result{Method: m, Fraction: 0.1, Metrics: editing.Metrics{Score: s[k]}}})
		}
	}
	for _, a := range editing.Advantages(editing.AblationRows(recs)) {
		fmt.Printf("%g%%: swap %.2f vs %s %.2f → %.2f×, CIs apart: %v\n", 100*a.Fraction, a.Swap, a.Best, a.BestMean, a.Ratio, a.Clear)
	}
	// Output: 10%: swap 0.96 vs memit 0.50 → 1.92×, CIs apart: true
}
