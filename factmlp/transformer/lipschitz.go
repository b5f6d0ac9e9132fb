package transformer

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/gonum/mat"
)

// JacobianGoMLX returns the full d×d Jacobian of g at x computed by GoMLX
// reverse-mode autodiff (one gradient per output coordinate), in float64.
// It cross-checks the closed form of mlp.JacobianNorm against the graph the
// Transformer runs.
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

// DeliveredInputs returns what attention actually hands the fact MLP: the
// MLP's input z (after the pre-MLP RMSNorm) at the query position of n fresh
// sequences for mapping drawn from seed, one row each, and each sequence's
// key token. z does not depend on the map or the MLP (attention is causal
// and the value follows Q), so these are the inputs any MLP in the slot
// receives.
func DeliveredInputs(m *Model, mapping []int, n int, seed uint64) (*mat.Dense, []int, error) {
	if n < 1 {
		return nil, nil, fmt.Errorf("transformer: delivered inputs need n ≥ 1 sequences, got %d", n)
	}
	be, err := backend.Get()
	if err != nil {
		return nil, nil, err
	}
	act := m.MLP.Act
	sig := modelSignature().Add("tokens", "qpos")
	exec, err := sig.Exec(be, func(in gomlxtrain.Inputs) []*Node {
		w, mw := modelNodes(in)
		return []*Node{forward(m, act, w, mw, in.Get("tokens"), in.Get("qpos")).z}
	})
	if err != nil {
		return nil, nil, err
	}
	defer exec.Finalize()
	wts, mlps := m.graphInputs()
	r := rng.Derive(seed, "transformer/delivered-inputs")
	d := m.Dim
	Z := mat.NewDense(n, d, nil)
	keys := make([]int, 0, n)
	const chunk = 512
	for done := 0; done < n; {
		bs := min(chunk, n-done)
		b, err := m.Cfg.Task.Sample(r, bs, mapping)
		if err != nil {
			return nil, nil, err
		}
		args, err := modelArgs(sig, wts, mlps).Set("tokens", int32Tensor(b.Tokens, bs, b.SeqLen)).Set("qpos", int32Tensor(b.QPos, bs)).List()
		if err != nil {
			return nil, nil, err
		}
		outs, err := exec.Call(args...)
		if err != nil {
			return nil, nil, fmt.Errorf("transformer: delivered inputs: %w", err)
		}
		z := tensors.MustCopyFlatData[float32](outs[0])
		for i := 0; i < bs; i++ {
			row := Z.RawRowView(done + i)
			for c := range row {
				row[c] = float64(z[i*d+c])
			}
			keys = append(keys, int(b.Key[i]))
		}
		done += bs
	}
	return Z, keys, nil
}

// JacobianSummary is ‖J(x)‖₂ of a fact MLP f over a set of inputs x, raw
// and relative to the output (‖J(x)‖₂/‖f(x)‖, the sensitivity that matters
// after the RMSNorm in front of the output head).
type JacobianSummary struct {
	Inputs          int
	RawMean, RawMax float64 // mean, max of ‖J(x)‖₂
	RelMean, RelMax float64 // mean, max of ‖J(x)‖₂/‖f(x)‖
}

// Jacobians summarises ‖J(x)‖₂ of g at every row x of X (power iteration,
// iters steps, mlp.JacobianNorm).
func Jacobians(g *mlp.Gated, X *mat.Dense, iters int, seed uint64) (JacobianSummary, error) {
	if err := g.Check(); err != nil {
		return JacobianSummary{}, err
	}
	n, d := X.Dims()
	if d != g.Dim() {
		return JacobianSummary{}, fmt.Errorf("transformer: inputs have dimension %d but the MLP has %d", d, g.Dim())
	}
	if iters < 1 {
		return JacobianSummary{}, fmt.Errorf("transformer: power iteration needs iters ≥ 1, got %d", iters)
	}
	Y := g.Forward(X)
	out := JacobianSummary{Inputs: n}
	for i := 0; i < n; i++ {
		j := mlp.JacobianNorm(g, X.RawRowView(i), iters, seed+uint64(i))
		rel := j / math.Max(mat.Norm(Y.RowView(i), 2), 1e-300)
		out.RawMean += j / float64(n)
		out.RelMean += rel / float64(n)
		out.RawMax, out.RelMax = math.Max(out.RawMax, j), math.Max(out.RelMax, rel)
	}
	return out, nil
}
