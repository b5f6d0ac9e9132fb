package editing

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Method names accepted by ParseMethod.
const (
	Swap      = "swap"
	MEMIT     = "memit"
	ROME      = "rome"
	AlphaEdit = "alphaedit"
)

// MethodNames lists the accepted method names.
const MethodNames = "swap, memit, rome, alphaedit"

// ParseMethod accepts swap, memit, rome and alphaedit.
func ParseMethod(s string) (string, error) {
	switch s {
	case Swap, MEMIT, ROME, AlphaEdit:
		return s, nil
	}
	return "", fmt.Errorf("editing: unknown method %q; accepted: %s", s, MethodNames)
}

func checkEditShapes(W, Ka, R, Kp *mat.Dense) error {
	d, h := W.Dims()
	if Ka == nil || R == nil || Kp == nil {
		return fmt.Errorf("editing: altered keys, residuals and preserved keys are all required")
	}
	if r, _ := Ka.Dims(); r != h {
		return fmt.Errorf("editing: altered keys have %d rows; they must have the hidden width %d (one key per column)", r, h)
	}
	if r, _ := Kp.Dims(); r != h {
		return fmt.Errorf("editing: preserved keys have %d rows; they must have the hidden width %d", r, h)
	}
	_, na := Ka.Dims()
	if r, c := R.Dims(); r != d || c != na {
		return fmt.Errorf("editing: residuals are %d×%d; they must be dim×altered = %d×%d", r, c, d, na)
	}
	return nil
}

// Covariance returns C = K_pK_pᵀ/n_p + ε I with ε = 1e-9 · trace/h.
func Covariance(Kp *mat.Dense) *mat.SymDense {
	h, np := Kp.Dims()
	C := mat.NewSymDense(h, nil)
	C.SymOuterK(1/float64(max(np, 1)), Kp)
	tr := 0.0
	for i := 0; i < h; i++ {
		tr += C.At(i, i)
	}
	eps := 1e-9 * tr / float64(h)
	if eps == 0 {
		eps = 1e-12
	}
	for i := 0; i < h; i++ {
		C.SetSym(i, i, C.At(i, i)+eps)
	}
	return C
}

// MEMITUpdate returns ΔW = R K_aᵀ (λ C + K_aK_aᵀ)⁻¹ with C = Covariance(K_p).
func MEMITUpdate(W, Ka, R, Kp *mat.Dense, lambda float64) (*mat.Dense, error) {
	if err := checkEditShapes(W, Ka, R, Kp); err != nil {
		return nil, err
	}
	if !(lambda >= 0) || math.IsInf(lambda, 0) {
		return nil, fmt.Errorf("editing: MEMIT λ = %g; it must be finite and ≥ 0", lambda)
	}
	C := Covariance(Kp)
	var A mat.Dense
	A.Scale(lambda, C)
	var KK mat.Dense
	KK.Mul(Ka, Ka.T())
	A.Add(&A, &KK)
	// ΔW = R K_aᵀ A⁻¹  ⇔  A ΔWᵀ = K_a Rᵀ (A symmetric).
	var rhs mat.Dense
	rhs.Mul(Ka, R.T())
	var X mat.Dense
	if err := X.Solve(&A, &rhs); err != nil {
		return nil, fmt.Errorf("editing: MEMIT system is singular: %w", err)
	}
	return mat.DenseCopyOf(X.T()), nil
}

// NullSpaceProjector returns P = U₀U₀ᵀ over the eigenvectors of K_pK_pᵀ whose
// eigenvalue is below tol·λ_max, and the dimension of that space.
func NullSpaceProjector(Kp *mat.Dense, tol float64) (*mat.Dense, int, error) {
	h, _ := Kp.Dims()
	S := mat.NewSymDense(h, nil)
	S.SymOuterK(1, Kp)
	var eig mat.EigenSym
	if !eig.Factorize(S, true) {
		return nil, 0, fmt.Errorf("editing: eigen-decomposition of K_pK_pᵀ failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	lmax := 0.0
	for _, v := range vals {
		lmax = math.Max(lmax, v)
	}
	P := mat.NewDense(h, h, nil)
	k := 0
	for j, v := range vals {
		if v < tol*lmax {
			u := vecs.ColView(j)
			var o mat.Dense
			o.Outer(1, u, u)
			P.Add(P, &o)
			k++
		}
	}
	return P, k, nil
}

// AlphaEditUpdate returns ΔW = R K_aᵀ P (K_aK_aᵀ P + μ I)⁻¹ with P the
// null-space projector of the preserved keys at relative tolerance tol
// (AlphaEdit's formula has μ = 1; since ΔW k_a = R·s/(μ + s) with
// s = ‖P k_a‖² for a single key, μ must be small against the squared key
// norms for the edit to take its full size). ΔW k = 0 for every preserved
// key in P's null space.
func AlphaEditUpdate(W, Ka, R, Kp *mat.Dense, tol, mu float64) (*mat.Dense, error) {
	if err := checkEditShapes(W, Ka, R, Kp); err != nil {
		return nil, err
	}
	if !(tol > 0) || math.IsInf(tol, 0) {
		return nil, fmt.Errorf("editing: AlphaEdit tol = %g; it must be finite and > 0", tol)
	}
	if !(mu > 0) || math.IsInf(mu, 0) {
		return nil, fmt.Errorf("editing: AlphaEdit μ = %g; it must be finite and > 0", mu)
	}
	h, _ := Kp.Dims()
	P, _, err := NullSpaceProjector(Kp, tol)
	if err != nil {
		return nil, err
	}
	// ΔWᵀ = (P K_aK_aᵀ + I)⁻¹ P K_a Rᵀ (P symmetric).
	var PK mat.Dense
	PK.Mul(P, Ka)
	var A mat.Dense
	A.Mul(&PK, Ka.T())
	for i := 0; i < h; i++ {
		A.Set(i, i, A.At(i, i)+mu)
	}
	var rhs mat.Dense
	rhs.Mul(&PK, R.T())
	var X mat.Dense
	if err := X.Solve(&A, &rhs); err != nil {
		return nil, fmt.Errorf("editing: AlphaEdit system is singular: %w", err)
	}
	return mat.DenseCopyOf(X.T()), nil
}

// ROMEUpdate applies sequential rank-one ROME edits and returns the total
// ΔW. Edit i moves the output at key k_i to W₀k_i + r_i given the edits made
// so far: W += (W₀k_i + r_i − W k_i)(C⁻¹k_i)ᵀ / (k_iᵀC⁻¹k_i).
func ROMEUpdate(W, Ka, R, Kp *mat.Dense) (*mat.Dense, error) {
	if err := checkEditShapes(W, Ka, R, Kp); err != nil {
		return nil, err
	}
	d, h := W.Dims()
	_, na := Ka.Dims()
	C := Covariance(Kp)
	var chol mat.Cholesky
	if !chol.Factorize(C) {
		return nil, fmt.Errorf("editing: ROME covariance is not positive definite")
	}
	var CiK mat.Dense // C⁻¹K_a, h×n_a
	if err := chol.SolveTo(&CiK, Ka); err != nil {
		return nil, fmt.Errorf("editing: ROME solve failed: %w", err)
	}
	cur := mat.DenseCopyOf(W)
	target := mat.NewDense(d, na, nil)
	target.Mul(W, Ka)
	target.Add(target, R)
	kcol := make([]float64, h)
	ci := make([]float64, h)
	out := make([]float64, d)
	for i := 0; i < na; i++ {
		mat.Col(kcol, i, Ka)
		mat.Col(ci, i, &CiK)
		den := 0.0
		for j := range kcol {
			den += kcol[j] * ci[j]
		}
		if !(den > 0) {
			continue // a zero key cannot be edited
		}
		k := mat.NewVecDense(h, kcol)
		o := mat.NewVecDense(d, out)
		o.MulVec(cur, k)
		for a := 0; a < d; a++ {
			res := (target.At(a, i) - out[a]) / den
			row := cur.RawRowView(a)
			for j := range row {
				row[j] += res * ci[j]
			}
		}
	}
	cur.Sub(cur, W)
	return cur, nil
}
