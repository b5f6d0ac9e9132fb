package hebbian

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// fitFeatures is the DataDependent feature fit: from the random a0, a1 and
// the raw readout W₀ of their unscaled features, fit A₁ with partner A₀,
// then A₀ with partner the new A₁ (see the package doc).
func fitFeatures(a0, a1, K, V *mat.Dense, lambda float64) (*mat.Dense, *mat.Dense, error) {
	W0 := rawReadout(V, features(a0, a1, K))
	var G mat.Dense // d×d, Σ_i v_i v_iᵀ over facts
	G.Mul(V.T(), V)
	var C mat.Dense // partner features, m×n
	C.Mul(a0, K.T())
	newA1, err := fitProjection(&C, K, V, W0, &G, lambda)
	if err != nil {
		return nil, nil, fmt.Errorf("hebbian: data-dependent fit of A₁: %w", err)
	}
	C.Mul(newA1, K.T())
	newA0, err := fitProjection(&C, K, V, W0, &G, lambda)
	if err != nil {
		return nil, nil, fmt.Errorf("hebbian: data-dependent fit of A₀: %w", err)
	}
	return newA0, newA1, nil
}

// fitOp applies the normal-equation operator X ↦ (C ⊙ (WᵀGW(C ⊙ XKᵀ)))K + λX.
type fitOp struct {
	C, K, W, G *mat.Dense
	lambda     float64
	// scratch
	f, dec, gd, cp mat.Dense
}

func (o *fitOp) apply(dst, X *mat.Dense) {
	o.f.Mul(X, o.K.T()) // m×n
	o.f.MulElem(&o.f, o.C)
	o.dec.Mul(o.W, &o.f)     // d×n
	o.gd.Mul(o.G, &o.dec)    // d×n
	o.cp.Mul(o.W.T(), &o.gd) // m×n
	o.cp.MulElem(&o.cp, o.C)
	dst.Mul(&o.cp, o.K) // m×d
	dst.Add(dst, scaled(o.lambda, X))
}

func scaled(a float64, X *mat.Dense) *mat.Dense {
	var s mat.Dense
	s.Scale(a, X)
	return &s
}

func dot(a, b *mat.Dense) float64 {
	ra, rb := a.RawMatrix(), b.RawMatrix()
	s := 0.0
	for i := 0; i < ra.Rows; i++ {
		x, y := ra.Data[i*ra.Stride:i*ra.Stride+ra.Cols], rb.Data[i*rb.Stride:i*rb.Stride+rb.Cols]
		for j := range x {
			s += x[j] * y[j]
		}
	}
	return s
}

// fitProjection solves the ridge least-squares fit of one projection A
// (m×d) with partner features C by Jacobi-preconditioned conjugate
// gradients.
func fitProjection(C, K, V, W, G *mat.Dense, lambda float64) (*mat.Dense, error) {
	m, _ := C.Dims()
	_, d := K.Dims()
	// rhs = ((WᵀVᵀ) ⊙ C)K
	var t, rhs mat.Dense
	t.Mul(W.T(), V.T())
	t.MulElem(&t, C)
	rhs.Mul(&t, K)
	X := mat.NewDense(m, d, nil)
	rnorm := math.Sqrt(dot(&rhs, &rhs))
	if rnorm == 0 {
		return X, nil
	}
	// Jacobi diagonal: (W ⊙ GW) summed over rows, times (C²)(K²), plus λ.
	var gw, c2, k2, diag mat.Dense
	gw.Mul(G, W)
	gw.MulElem(&gw, W)
	c2.MulElem(C, C)
	k2.MulElem(K, K)
	diag.Mul(&c2, &k2)
	for i := 0; i < m; i++ {
		s := mat.Sum(gw.ColView(i))
		row := diag.RawRowView(i)
		for j := range row {
			row[j] = 1 / math.Max(s*row[j]+lambda, lambda)
		}
	}
	op := &fitOp{C: C, K: K, W: W, G: G, lambda: lambda}
	R := mat.DenseCopyOf(&rhs)
	var Z, P, AP mat.Dense
	Z.MulElem(&diag, R)
	P.CloneFrom(&Z)
	rz := dot(R, &Z)
	// The successor solves in float32 with tolerance 1e-5 once m·d > 8192,
	// else 1e-10; we keep float64 and its tolerances.
	tol := 1e-10 * rnorm
	if m*d > 8192 {
		tol = 1e-5 * rnorm
	}
	for it, maxIt := 0, min(max(2*m, 128), 1024); it < maxIt; it++ {
		op.apply(&AP, &P)
		den := dot(&P, &AP)
		if !(den > 0) {
			return nil, fmt.Errorf("the normal equations lost positive definiteness at iteration %d (pᵀAp = %g)", it, den)
		}
		step := rz / den
		X.Add(X, scaled(step, &P))
		R.Sub(R, scaled(step, &AP))
		if iterHook != nil {
			iterHook(it)
		}
		if math.Sqrt(dot(R, R)) <= tol {
			break
		}
		Z.MulElem(&diag, R)
		rzNext := dot(R, &Z)
		P.Scale(rzNext/rz, &P)
		P.Add(&P, &Z)
		rz = rzNext
	}
	return X, nil
}

// iterHook, if set (tests), sees every conjugate-gradient iteration.
var iterHook func(it int)
