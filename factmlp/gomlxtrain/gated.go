package gomlxtrain

import (
	"github.com/factmlp/factmlp/factmlp/mlp"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph DSL reads better unqualified
)

// Gated is a gated MLP inside a graph,
//
//	y = Down·(σ(Gate·x + b_g) ⊙ (Up·x + b_u)) + b_d,
//
// applied to the last axis of an input of any rank.
type Gated struct {
	Act mlp.Activation
	// Gate and Up are h×d, one row per hidden unit (mlp.Gated's layout),
	// or d×h when InputMajor is set.
	Gate, Up *Node
	Down     *Node // d_out×h
	// Biases of shape [h], [h], [d_out] (or with leading axes of size 1);
	// nil for none.
	GateBias, UpBias, DownBias *Node
	// InputMajor says Gate and Up are stored transposed (d×h). The pure-Go
	// backend's matmul wants its left operand contracted on the last axis
	// and its right one on the first; the GD fact-MLP step stores them so
	// that none of its large products needs a transpose.
	InputMajor bool
	// Models says every weight and the input carry a leading axis of K
	// independent MLPs (K×…): each product is batched over it, and the
	// output is K×…×d_out. Biases are then K×1×… .
	Models bool
}

// GatedForward is what the forward pass computes on the way to the
// output, for hand-written gradients.
type GatedForward struct {
	Pre    *Node // Gate·x + b_g
	Act    *Node // σ(Pre)
	Up     *Node // Up·x + b_u
	Hidden *Node // Act ⊙ Up
	Out    *Node // Down·Hidden + b_d
}

// Forward runs the MLP on x (…×d) and returns every intermediate.
func (w Gated) Forward(x *Node) GatedForward {
	last := []int{x.Rank() - 1}
	in, out := 1, 1
	if w.InputMajor {
		in = 0
	}
	var batch []int
	if w.Models {
		batch = []int{0}
		in, out = in+1, out+1
	}
	var f GatedForward
	f.Pre = addBias(DotGeneral(x, last, batch, w.Gate, []int{in}, batch), w.GateBias)
	f.Up = addBias(DotGeneral(x, last, batch, w.Up, []int{in}, batch), w.UpBias)
	f.Act = Activate(w.Act, f.Pre)
	f.Hidden = Mul(f.Act, f.Up)
	f.Out = addBias(DotGeneral(f.Hidden, last, batch, w.Down, []int{out}, batch), w.DownBias)
	return f
}

// Apply runs the MLP on x (…×d) and returns its output (…×d_out).
func (w Gated) Apply(x *Node) *Node { return w.Forward(x).Out }

// addBias adds b (nil: nothing) along the last axis of y.
func addBias(y, b *Node) *Node {
	if b == nil {
		return y
	}
	if b.Rank() < y.Rank() {
		dims := make([]int, y.Rank())
		for i := range dims {
			dims[i] = 1
		}
		dims[len(dims)-1] = -1
		b = Reshape(b, dims...)
	}
	return Add(y, b)
}

// Activate applies the gate non-linearity act (identity for anything but
// ReLU and SiLU).
func Activate(act mlp.Activation, x *Node) *Node {
	switch act {
	case mlp.ReLU:
		return Max(x, ScalarZero(x.Graph(), x.DType()))
	case mlp.SiLU:
		return Mul(x, Logistic(x))
	}
	return x
}

// ActivateGrad is the gradient through Activate: dAct·σ'(pre).
func ActivateGrad(act mlp.Activation, pre, dAct *Node) *Node {
	switch act {
	case mlp.ReLU:
		return Where(GreaterThan(pre, ScalarZero(pre.Graph(), pre.DType())), dAct, ZerosLike(dAct))
	case mlp.SiLU:
		s := Logistic(pre)
		one := ScalarOne(pre.Graph(), s.DType())
		return Mul(dAct, Mul(s, Add(one, Mul(pre, Sub(one, s)))))
	}
	return dAct
}
