package transformer

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/mlp"
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
