package transformer

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/gonum/mat"
)

// Lipschitz summarises the local Lipschitz constant of a fact MLP f at its
// keys. Because the Transformer RMS-normalises the MLP's output before
// decoding, what matters is the change of the output relative to its size,
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
func JacobianNorm(g *mlp.Gated, x []float64, iters int, seed uint64) float64 {
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
func MeasureLipschitz(g *mlp.Gated, keys *mat.Dense, maxKeys, iters, dirs int, eps float64, seed uint64) (Lipschitz, error) {
	if err := g.Check(); err != nil {
		return Lipschitz{}, err
	}
	n, d := keys.Dims()
	if d != g.Dim() {
		return Lipschitz{}, fmt.Errorf("transformer: keys have dimension %d but the MLP has %d", d, g.Dim())
	}
	if maxKeys <= 0 || maxKeys > n {
		maxKeys = n
	}
	if iters < 1 || dirs < 0 || !(eps > 0) {
		return Lipschitz{}, fmt.Errorf("transformer: Lipschitz needs iters ≥ 1, dirs ≥ 0, eps > 0; got %d, %d, %g", iters, dirs, eps)
	}
	r := rng.Derive(seed, "transformer/lipschitz-keys")
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

// JacobianGoMLX returns the full d×d Jacobian of g at x computed by GoMLX
// reverse-mode autodiff (one gradient per output coordinate), in float64.
// It cross-checks the closed form used by JacobianNorm.
func JacobianGoMLX(g *mlp.Gated, x []float64) (*mat.Dense, error) {
	be, err := backend.Get()
	if err != nil {
		return nil, err
	}
	h, d := g.Hidden(), g.Dim()
	dense := func(m *mat.Dense) *tensors.Tensor {
		r, c := m.Dims()
		data := make([]float64, 0, r*c)
		for i := 0; i < r; i++ {
			data = append(data, m.RawRowView(i)...)
		}
		return tensors.FromFlatDataAndDimensions(data, r, c)
	}
	vec := func(b []float64, n int) *tensors.Tensor {
		out := make([]float64, n)
		copy(out, b)
		return tensors.FromFlatDataAndDimensions(out, n)
	}
	act := g.Act
	exec, err := NewExec(be, func(in []*Node) *Node {
		xn := InsertAxes(in[0], 0) // [1,d]
		w := mlpNodes{gate: in[1], up: in[2], down: in[3], gateB: in[4], upB: in[5], downB: in[6]}
		y := Reshape(applyMLP(act, w, xn), d)
		rows := make([]*Node, d)
		for i := 0; i < d; i++ {
			sel := Const(xn.Graph(), oneHot(d, i))
			rows[i] = InsertAxes(Gradient(ReduceAllSum(Mul(y, sel)), in[0])[0], 0)
		}
		return ConvertDType(Concatenate(rows, 0), dtypes.Float64)
	})
	if err != nil {
		return nil, err
	}
	defer exec.Finalize()
	outs, err := exec.Call(tensors.FromFlatDataAndDimensions(append([]float64(nil), x...), d),
		dense(g.Gate), dense(g.Up), dense(g.Down), vec(g.GateBias, h), vec(g.UpBias, h), vec(g.DownBias, d))
	if err != nil {
		return nil, fmt.Errorf("transformer: autodiff Jacobian: %w", err)
	}
	return mat.NewDense(d, d, tensors.MustCopyFlatData[float64](outs[0])), nil
}

func oneHot(n, i int) []float64 {
	v := make([]float64, n)
	v[i] = 1
	return v
}
