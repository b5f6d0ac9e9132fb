package gomlxtrain_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
)

// A cosine schedule with warm-up, and Adam minimising (x − 3)² in float64.
func Example() {
	sched := gomlxtrain.Cosine{Peak: 0.1, Floor: 0.01, Warmup: 10, Steps: 300}
	fmt.Printf("lr: %.3f at 0, %.3f at 9, %.4f at 299\n", sched.At(0), sched.At(9), sched.At(299))

	adam := gomlxtrain.DefaultAdam()
	x, m, v := []float64{0}, []float64{0}, []float64{0}
	for s := range sched.Steps {
		grad := []float64{2 * (x[0] - 3)}
		adam.Step64(x, m, v, grad, sched.At(s), s+1)
	}
	fmt.Printf("x = %.3f\n", x[0])
	// Output:
	// lr: 0.010 at 0, 0.100 at 9, 0.0100 at 299
	// x = 3.000
}
