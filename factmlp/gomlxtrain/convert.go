package gomlxtrain

import (
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/gonum/mat"
)

// Float32s flattens m row-major to float32.
func Float32s(m mat.Matrix) []float32 {
	r, c := m.Dims()
	out := make([]float32, 0, r*c)
	if d, ok := m.(*mat.Dense); ok {
		for i := 0; i < r; i++ {
			for _, x := range d.RawRowView(i) {
				out = append(out, float32(x))
			}
		}
		return out
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out = append(out, float32(m.At(i, j)))
		}
	}
	return out
}

// Vec32 converts v to float32, zero-padded (or cut) to n entries; a nil v
// (an absent bias) gives n zeros.
func Vec32(v []float64, n int) []float32 {
	out := make([]float32, n)
	for i := range min(n, len(v)) {
		out[i] = float32(v[i])
	}
	return out
}

// Vec64 converts x to float64.
func Vec64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// Dense64 is the r×c float64 matrix of the row-major float32 data x.
func Dense64(x []float32, r, c int) *mat.Dense { return mat.NewDense(r, c, Vec64(x)) }

// Tensor is m as an r×c float32 tensor.
func Tensor(m mat.Matrix) *tensors.Tensor {
	r, c := m.Dims()
	return tensors.FromFlatDataAndDimensions(Float32s(m), r, c)
}

// VecTensor is v as a float32 tensor of n entries (see Vec32).
func VecTensor(v []float64, n int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(Vec32(v, n), n)
}

// GatedNames are the graph-input names of a gated MLP's tensors, in the
// order of GatedData and GatedTensors.
var GatedNames = []string{"gate", "up", "down", "gate_bias", "up_bias", "down_bias"}

// GatedData flattens g to float32 in GatedNames order with their
// dimensions: gate and up h×d, down d×h, biases h, h, d (absent biases
// become zeros).
func GatedData(g *mlp.Gated) (data [][]float32, dims [][]int) {
	h, d := g.Hidden(), g.Dim()
	return [][]float32{Float32s(g.Gate), Float32s(g.Up), Float32s(g.Down), Vec32(g.GateBias, h), Vec32(g.UpBias, h), Vec32(g.DownBias, d)},
		[][]int{{h, d}, {h, d}, {d, h}, {h}, {h}, {d}}
}

// GatedTensors is GatedData as float32 tensors.
func GatedTensors(g *mlp.Gated) []*tensors.Tensor {
	data, dims := GatedData(g)
	out := make([]*tensors.Tensor, len(data))
	for i := range data {
		out[i] = tensors.FromFlatDataAndDimensions(data[i], dims[i]...)
	}
	return out
}

// Copy32 writes src into the start of dst as float32.
func Copy32(dst []float32, src []float64) {
	for i, x := range src {
		dst[i] = float32(x)
	}
}
