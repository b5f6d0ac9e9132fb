package mlp

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// Lipschitz summarises the local Lipschitz constant of a fact MLP f at its
// keys. Because a Transformer that reads the MLP RMS-normalises its output
// before decoding, what matters is the change of the output relative to its size,
// so each key's Jacobian norm is divided by ‖f(k)‖ ("relative"); the raw
// values are reported too.
type Lipschitz struct {
	Max, Mean       float64 // max_i, mean_i ‖J(k_i)‖₂ / ‖f(k_i)‖
	RawMax, RawMean float64 // the same without dividing by ‖f(k_i)‖
	// Empirical is max over keys and random unit directions δ of
	// ‖f(k+εδ) − f(k)‖ / (ε‖f(k)‖): a lower bound on Max (random directions
	// rarely hit the top singular vector).
	Empirical float64
	Keys      int
}

// JacobianNorm returns ‖J(x)‖₂ of g at x by power iteration on JᵀJ with the
// closed form J(x) = Down·[diag(σ(a))·Up + diag(σ'(a) ⊙ u)·Gate],
// a = Gate·x + b_gate, u = Up·x + b_up.
func JacobianNorm(g *Gated, x []float64, iters int, seed uint64) float64 {
	h, d := g.Hidden(), g.Dim()
	a, u := make([]float64, h), make([]float64, h)
	xv := mat.NewVecDense(d, x)
	var av, uv mat.VecDense
	av.MulVec(g.Gate, xv)
	uv.MulVec(g.Up, xv)
	s, sp := make([]float64, h), make([]float64, h)
	for r := 0; r < h; r++ {
		a[r], u[r] = av.AtVec(r), uv.AtVec(r)
		if g.GateBias != nil {
			a[r] += g.GateBias[r]
		}
		if g.UpBias != nil {
			u[r] += g.UpBias[r]
		}
		s[r] = g.Act.Apply(a[r])
		sp[r] = g.Act.Derivative(a[r]) * u[r]
	}
	// The stream names predate the move from package transformer; they stay
	// so that the same seed gives the same numbers.
	r := rng.Derive(seed, "transformer/power-iteration")
	v := mat.NewVecDense(d, nil)
	for i := 0; i < d; i++ {
		v.SetVec(i, r.NormFloat64())
	}
	var gv, uv2, hv, jv, w1, w2, back mat.VecDense
	hvec := mat.NewVecDense(h, nil)
	sigma := 0.0
	for it := 0; it < iters; it++ {
		v.ScaleVec(1/mat.Norm(v, 2), v)
		// Jv
		gv.MulVec(g.Gate, v)
		uv2.MulVec(g.Up, v)
		for k := 0; k < h; k++ {
			hvec.SetVec(k, s[k]*uv2.AtVec(k)+sp[k]*gv.AtVec(k))
		}
		jv.MulVec(g.Down, hvec)
		sigma = mat.Norm(&jv, 2)
		// Jᵀ(Jv)
		hv.MulVec(g.Down.T(), &jv)
		t1, t2 := mat.NewVecDense(h, nil), mat.NewVecDense(h, nil)
		for k := 0; k < h; k++ {
			t1.SetVec(k, s[k]*hv.AtVec(k))
			t2.SetVec(k, sp[k]*hv.AtVec(k))
		}
		w1.MulVec(g.Up.T(), t1)
		w2.MulVec(g.Gate.T(), t2)
		back.AddVec(&w1, &w2)
		if mat.Norm(&back, 2) == 0 {
			return 0
		}
		v.CopyVec(&back)
	}
	return sigma
}

// MeasureLipschitz computes Lipschitz for g over (up to maxKeys of) the rows
// of keys: power iteration (iters steps) per key, and the empirical ratio
// with dirs random directions of size eps.
func MeasureLipschitz(g *Gated, keys *mat.Dense, maxKeys, iters, dirs int, eps float64, seed uint64) (Lipschitz, error) {
	if err := g.Check(); err != nil {
		return Lipschitz{}, err
	}
	n, d := keys.Dims()
	if d != g.Dim() {
		return Lipschitz{}, fmt.Errorf("mlp: keys have dimension %d but the MLP has %d", d, g.Dim())
	}
	if maxKeys <= 0 || maxKeys > n {
		maxKeys = n
	}
	if iters < 1 || dirs < 0 || !(eps > 0) {
		return Lipschitz{}, fmt.Errorf("mlp: Lipschitz needs iters ≥ 1, dirs ≥ 0, eps > 0; got %d, %d, %g", iters, dirs, eps)
	}
	r := rng.Derive(seed, "transformer/lipschitz-keys") // historical name, as above
	idx := r.Perm(n)[:maxKeys]
	out := Lipschitz{Keys: maxKeys}
	X := mat.NewDense(maxKeys, d, nil)
	for i, k := range idx {
		X.SetRow(i, keys.RawRowView(k))
	}
	Y := g.Forward(X)
	for i := 0; i < maxKeys; i++ {
		x := X.RawRowView(i)
		jn := JacobianNorm(g, x, iters, seed+uint64(i))
		yn := mat.Norm(mat.NewVecDense(d, Y.RawRowView(i)), 2)
		rel := jn / math.Max(yn, 1e-300)
		out.RawMax, out.RawMean = math.Max(out.RawMax, jn), out.RawMean+jn
		out.Max, out.Mean = math.Max(out.Max, rel), out.Mean+rel
		if dirs > 0 {
			P := mat.NewDense(dirs, d, nil)
			for j := 0; j < dirs; j++ {
				row := P.RawRowView(j)
				var s float64
				for c := range row {
					row[c] = r.NormFloat64()
					s += row[c] * row[c]
				}
				s = eps / math.Sqrt(s)
				for c := range row {
					row[c] = x[c] + row[c]*s
				}
			}
			YP := g.Forward(P)
			for j := 0; j < dirs; j++ {
				var diff float64
				for c, yv := range YP.RawRowView(j) {
					e := yv - Y.At(i, c)
					diff += e * e
				}
				out.Empirical = math.Max(out.Empirical, math.Sqrt(diff)/(eps*math.Max(yn, 1e-300)))
			}
		}
	}
	out.Mean /= float64(maxKeys)
	out.RawMean /= float64(maxKeys)
	return out, nil
}
