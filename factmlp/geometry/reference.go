package geometry

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Independent reference methods for ρ_i, slow but simple, used by the tests
// and the notebook to check Decodability. Each takes the value table and an
// anchor i; none shares code with the Wolfe solver.

// Differences returns the normalised differences a_ij = (v_i − v_j)/‖v_i − v_j‖
// (j ≠ i, in order) as rows.
func Differences(v *mat.Dense, i int) *mat.Dense { return diffs(v, i) }

// RhoEnumerate computes ρ_i exactly by enumerating every subset of at most
// d+1 normalised differences (exponential: only for small |V| and d).
func RhoEnumerate(v *mat.Dense, i int) float64 { return enumRho(diffs(v, i)) }

// RhoHildreth computes ρ_i > 0 from the primal form ρ_i = 1/min{‖w‖ : A w ≥ 1}
// by Hildreth's coordinate ascent (at most sweeps sweeps). It is valid only
// for decodable anchors (for ρ_i = 0 the primal is infeasible and the number
// returned is meaningless) and converges slowly when ρ_i is small.
func RhoHildreth(v *mat.Dense, i int, sweeps int) float64 {
	r, _ := hildrethRho(diffs(v, i), sweeps)
	return r
}

// RhoADMM runs the successor code's ADMM (paper.md §2.2: penalty 1, all
// variables started at 0) for iters iterations and returns the value
// min_j ⟨u/‖u‖, a_ij⟩ its separator attains (a lower bound on ρ_i).
func RhoADMM(v *mat.Dense, i int, iters int) float64 { return admmRho(diffs(v, i), iters) }

// diffs returns the normalised differences a_ij (j ≠ i) as rows.
func diffs(v *mat.Dense, i int) *mat.Dense {
	n, d := v.Dims()
	a := mat.NewDense(n-1, d, nil)
	r := 0
	for j := 0; j < n; j++ {
		if j == i {
			continue
		}
		row := a.RawRowView(r)
		var ss float64
		for k := 0; k < d; k++ {
			row[k] = v.At(i, k) - v.At(j, k)
			ss += row[k] * row[k]
		}
		for k := range row {
			row[k] /= math.Sqrt(ss)
		}
		r++
	}
	return a
}

// enumRho computes the distance from the origin to conv(rows of a) exactly
// by enumerating every subset of at most d+1 rows, projecting the origin on
// its affine hull (dense LU solve of the KKT system) and keeping the
// projections that lie in the subset's convex hull. The minimum norm of
// those candidates is the distance (Carathéodory: the nearest point lies in
// the relative interior of the hull of ≤ d+1 affinely independent rows).
func enumRho(a *mat.Dense) float64 {
	m, d := a.Dims()
	best := math.Inf(1)
	var rec func(start int, sub []int)
	rec = func(start int, sub []int) {
		if len(sub) > 0 {
			if nrm, ok := affineProj(a, sub); ok && nrm < best {
				best = nrm
			}
		}
		if len(sub) == d+1 {
			return
		}
		for j := start; j < m; j++ {
			rec(j+1, append(sub, j))
		}
	}
	rec(0, nil)
	return best
}

// affineProj solves min ‖Σ α_k a_k‖ s.t. Σα = 1 via the KKT system
// [G 1; 1ᵀ 0][α; −μ] = [0; 1] and reports the norm when α ≥ 0.
func affineProj(a *mat.Dense, sub []int) (float64, bool) {
	s := len(sub)
	_, d := a.Dims()
	k := mat.NewDense(s+1, s+1, nil)
	for p := 0; p < s; p++ {
		for q := 0; q < s; q++ {
			k.Set(p, q, mat.Dot(a.RowView(sub[p]), a.RowView(sub[q])))
		}
		k.Set(p, s, 1)
		k.Set(s, p, 1)
	}
	rhs := mat.NewVecDense(s+1, nil)
	rhs.SetVec(s, 1)
	var sol mat.VecDense
	if err := sol.SolveVec(k, rhs); err != nil {
		return 0, false
	}
	if mat.Cond(k, 1) > 1e10 {
		return 0, false
	}
	p := make([]float64, d)
	for q := 0; q < s; q++ {
		al := sol.AtVec(q)
		if al < -1e-12 {
			return 0, false
		}
		for c := 0; c < d; c++ {
			p[c] += al * a.At(sub[q], c)
		}
	}
	var ss float64
	for _, x := range p {
		ss += x * x
	}
	return math.Sqrt(ss), true
}

// hildrethRho solves the primal form for a decodable anchor: when ρ > 0,
// ρ = 1/min{‖w‖ : A w ≥ 1}. The QP is solved by Hildreth's method
// (cyclic coordinate ascent on its dual max Σμ − ½‖Aᵀμ‖², μ ≥ 0), a
// different formulation and algorithm from Wolfe's method on the hull.
func hildrethRho(a *mat.Dense, sweeps int) (rho float64, w []float64) {
	m, d := a.Dims()
	mu := make([]float64, m)
	w = make([]float64, d)
	for s := 0; s < sweeps; s++ {
		maxStep := 0.0
		for j := 0; j < m; j++ {
			row := a.RawRowView(j)
			var aw, aa float64
			for k := 0; k < d; k++ {
				aw += row[k] * w[k]
				aa += row[k] * row[k]
			}
			step := math.Max(-mu[j], (1-aw)/aa)
			mu[j] += step
			for k := 0; k < d; k++ {
				w[k] += step * row[k]
			}
			maxStep = math.Max(maxStep, math.Abs(step))
		}
		if maxStep < 1e-14 {
			break
		}
	}
	var ss float64
	for _, x := range w {
		ss += x * x
	}
	return 1 / math.Sqrt(ss), w
}

// admmRho is a port of the successor code's ADMM (paper.md §2.2) for one
// anchor: maximise t s.t. A u − t ≥ 0, ‖u‖ ≤ 1. It returns the attained
// value min_j ⟨u/‖u‖, a_j⟩.
func admmRho(a *mat.Dense, iters int) float64 {
	m, d := a.Dims()
	const pen = 1.0
	S := mat.NewSymDense(d+1, nil)
	var ata mat.Dense
	ata.Mul(a.T(), a)
	colSum := make([]float64, d)
	for j := 0; j < m; j++ {
		for k := 0; k < d; k++ {
			colSum[k] += a.At(j, k)
		}
	}
	for p := 0; p < d; p++ {
		for q := p; q < d; q++ {
			v := pen * ata.At(p, q)
			if p == q {
				v += pen
			}
			S.SetSym(p, q, v)
		}
		S.SetSym(p, d, -pen*colSum[p])
	}
	S.SetSym(d, d, pen*float64(m))
	var lu mat.LU
	lu.Factorize(S)
	u := make([]float64, d)
	z := make([]float64, d)
	muv := make([]float64, d)
	sl := make([]float64, m)
	lam := make([]float64, m)
	var t float64
	for it := 0; it < iters; it++ {
		rhs := mat.NewVecDense(d+1, nil)
		var sumSL float64
		for j := 0; j < m; j++ {
			c := sl[j] - lam[j]
			sumSL += c
			for k := 0; k < d; k++ {
				rhs.SetVec(k, rhs.AtVec(k)+pen*a.At(j, k)*c)
			}
		}
		for k := 0; k < d; k++ {
			rhs.SetVec(k, rhs.AtVec(k)+pen*(z[k]-muv[k]))
		}
		rhs.SetVec(d, 1-pen*sumSL)
		var sol mat.VecDense
		_ = lu.SolveVecTo(&sol, false, rhs)
		for k := 0; k < d; k++ {
			u[k] = sol.AtVec(k)
		}
		t = sol.AtVec(d)
		for j := 0; j < m; j++ {
			var au float64
			for k := 0; k < d; k++ {
				au += a.At(j, k) * u[k]
			}
			viol := au - t
			sl[j] = math.Max(viol+lam[j], 0)
			lam[j] += viol - sl[j]
		}
		var nz float64
		for k := 0; k < d; k++ {
			z[k] = u[k] + muv[k]
			nz += z[k] * z[k]
		}
		if nz > 1 {
			for k := range z {
				z[k] /= math.Sqrt(nz)
			}
		}
		for k := 0; k < d; k++ {
			muv[k] += u[k] - z[k]
		}
	}
	var nu float64
	for _, x := range u {
		nu += x * x
	}
	nu = math.Sqrt(nu)
	lo := math.Inf(1)
	for j := 0; j < m; j++ {
		var au float64
		for k := 0; k < d; k++ {
			au += a.At(j, k) * u[k] / nu
		}
		lo = math.Min(lo, au)
	}
	return lo
}
