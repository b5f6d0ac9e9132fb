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
	x, y := ra.RawMatrix(), rb.RawMatrix()
	if err := checkGeneral("MulT: a", x); err != nil {
		return nil, err
	}
	if err := checkGeneral("MulT: b", y); err != nil {
		return nil, err
	}
	// c is fresh, hence zero: accumulate into it without Mul's clearing pass.
	gemm(n, m, k, 1, operand{data: x.Data, ld: x.Stride}, operand{data: y.Data, ld: y.Stride}, c.RawMatrix().Data, m, false)
	return c, nil
}
