package geometry_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"gonum.org/v1/gonum/mat"
)

// Four values at the corners of a square and one at its centre: the corners
// are decodable with ρ_i = cos 45°, the centre can never be the argmax.
func ExampleDecodability() {
	v := mat.NewDense(5, 2, []float64{
		1, 1,
		-1, 1,
		-1, -1,
		1, -1,
		0, 0,
	})
	res, err := geometry.Decodability(v, geometry.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("ρ_0 = %.4f, u*_0 = (%.4f, %.4f)\n", res.PerValue[0], res.Separators.At(0, 0), res.Separators.At(0, 1))
	fmt.Println("undecodable:", res.Undecodable)
	// Output:
	// ρ_0 = 0.7071, u*_0 = (0.7071, 0.7071)
	// undecodable: [4]
}

// Whitening a conditioned value table raises ρ while leaving dot-product
// decoding intact: scores against the whitened values in whitened space equal
// scores of the mapped-back output against the original values.
func ExampleWhitener() {
	fs, err := factset.Spec{Family: "conditioned", N: 200, Dim: 8, Kappa: 30, Seed: 4}.Generate()
	if err != nil {
		panic(err)
	}
	rep, w, err := geometry.DecodabilityWhitened(fs.Values, 1, 0, geometry.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("ρ before %.3f, after %.3f, ‖W‖ = %.1f\n", rep.Before.Rho, rep.After.Rho, w.OpNorm)
	y := mat.NewDense(1, 8, []float64{1, -2, 0.5, 0, 3, 1, -1, 2}) // an output in whitened space
	var white, back mat.Dense
	white.Mul(y, w.Values(fs.Values).T())
	back.Mul(w.MapBack(y), fs.Values.T())
	fmt.Println("same scores:", mat.EqualApprox(&white, &back, 1e-9))
	// Output:
	// ρ before 0.037, after 0.317, ‖W‖ = 15.8
	// same scores: true
}
