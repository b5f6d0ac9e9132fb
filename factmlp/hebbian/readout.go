package hebbian

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// rawReadout is the Hebbian outer-product readout W = VᵀΦ/n (d×m).
func rawReadout(V, Phi *mat.Dense) *mat.Dense {
	n, _ := Phi.Dims()
	var W mat.Dense
	W.Mul(V.T(), Phi)
	W.Scale(1/float64(n), &W)
	return &W
}

// ridgeReadout is the whitened readout: for m ≤ n, W = (ΦᵀV/n)ᵀ(ΦᵀΦ/n +
// λI)⁻¹; for m > n the dual form W = ((ΦΦᵀ + λI)⁻¹V)ᵀΦ, which solves an n×n
// instead of an m×m system (the two forms put λ on differently normalised
// matrices, as the successor's code does).
func ridgeReadout(V, Phi *mat.Dense, lambda float64) (*mat.Dense, error) {
	n, m := Phi.Dims()
	var gram mat.SymDense
	if m > n {
		gram.SymOuterK(1, Phi)
	} else {
		gram.SymOuterK(1/float64(n), Phi.T())
	}
	k, _ := gram.Dims()
	for i := 0; i < k; i++ {
		gram.SetSym(i, i, gram.At(i, i)+lambda)
	}
	var ch mat.Cholesky
	if !ch.Factorize(&gram) {
		return nil, fmt.Errorf("hebbian: the ridge system (%d×%d, λ = %g) is not positive definite in float64", k, k, lambda)
	}
	var W mat.Dense
	if m > n {
		var coef mat.Dense // n×d
		if err := ch.SolveTo(&coef, V); err != nil {
			return nil, fmt.Errorf("hebbian: ridge readout: %w", err)
		}
		W.Mul(coef.T(), Phi)
		return &W, nil
	}
	var corr, sol mat.Dense // m×d
	corr.Mul(Phi.T(), V)
	corr.Scale(1/float64(n), &corr)
	if err := ch.SolveTo(&sol, &corr); err != nil {
		return nil, fmt.Errorf("hebbian: ridge readout: %w", err)
	}
	W.CloneFrom(sol.T())
	return &W, nil
}
