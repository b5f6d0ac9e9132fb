package linalg_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/linalg"
	"gonum.org/v1/gonum/mat"
)

// Solve A x = b for a symmetric positive-definite A built as a Gram matrix.
func Example() {
	k := mat.NewDense(3, 2, []float64{
		1, 0,
		1, 1,
		0, 2,
	})
	a := mat.NewSymDense(3, nil)
	if err := linalg.SymOuter(a.RawSymmetric(), k.RawMatrix()); err != nil { // A = K Kᵀ
		panic(err)
	}
	for i := 0; i < 3; i++ { // + I makes it positive definite
		a.SetSym(i, i, a.At(i, i)+1)
	}
	x := mat.NewDense(3, 1, []float64{2, 3, 5}) // b, overwritten with x

	u, err := linalg.Cholesky(a.RawSymmetric()) // a's upper triangle becomes U, A = UᵀU
	if err != nil {
		panic(err)
	}
	if err := linalg.SolveCholesky(u, x.RawMatrix()); err != nil {
		panic(err)
	}
	fmt.Printf("x = %.4f\n", mat.Col(nil, 0, x))

	// A matrix that is not positive definite is an error, not a panic.
	_, err = linalg.Cholesky(mat.NewSymDense(2, []float64{1, 2, 2, 1}).RawSymmetric())
	fmt.Println(err)
	// Output:
	// x = [1.0000 0.0000 1.0000]
	// linalg: Cholesky: matrix is not positive definite: pivot -3 at row 1 of 2
}
