package geometry_test

import (
	"fmt"

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
