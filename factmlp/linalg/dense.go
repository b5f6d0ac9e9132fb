package linalg

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// MulT returns a·bᵀ (a n×k, b m×k) as a new n×m matrix: the product the
// exact checks run most (keys × weight rows, codes × projected values).
// When both are stored as plain rows (a *mat.Dense or a slice of one) it
// runs on the packed kernel; any other mat.Matrix goes through gonum.
// Mismatched or empty shapes are an error, not gonum's panic.
func MulT(a, b mat.Matrix) (*mat.Dense, error) {
	n, k := a.Dims()
	m, kb := b.Dims()
	if k != kb || n == 0 || m == 0 || k == 0 {
		return nil, fmt.Errorf("linalg: MulT: a is %d×%d, b is %d×%d; a·bᵀ needs non-empty matrices with the same number of columns", n, k, m, kb)
	}
	c := mat.NewDense(n, m, nil)
	ra, okA := a.(mat.RawMatrixer)
	rb, okB := b.(mat.RawMatrixer)
	if !okA || !okB {
		c.Mul(a, b.T())
		return c, nil
	}
	if err := Mul(c.RawMatrix(), ra.RawMatrix(), rb.RawMatrix(), false, true); err != nil {
		return nil, err
	}
	return c, nil
}
