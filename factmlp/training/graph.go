package training

import (
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph DSL reads better unqualified
)

// graphConfig fixes everything about a compiled step graph except the
// tensor shapes.
type graphConfig struct {
	act    mlp.Activation
	bias   bool
	loss   Loss
	steps  int  // optimiser steps per call
	fresh  bool // one batch per step (minibatches) instead of one shared batch
	beta1  float64
	beta2  float64
	eps    float64
	wdecay float64
	naive  bool // autodiff through LogSoftmax + one-hot (the benchmark's baseline)
	// splits is how many row blocks the F×|V| logits and softmax are cut
	// into; the backend runs independent blocks on different cores (its
	// fused softmax is single-threaded).
	splits int
}

// numParams is the number of parameter tensors: gate, up, down and, with
// biases, their three bias rows.
func (c graphConfig) numParams() int {
	if c.bias {
		return 6
	}
	return 3
}

// Parameter order and layout: 0 gateᵀ (din×h), 1 upᵀ (din×h), 2 down
// (dout×h), 3 gate bias (1×h), 4 up bias (1×h), 5 down bias (1×dout).
//
// The pure-Go backend's matmul wants the left operand contracted on its
// last axis; storing gate and up transposed and feeding Xᵀ (din×B) as an
// input lets every large product in the step run without a transpose (only
// the small B×dout output gradient is transposed, explicitly, for ∂down).

// forward returns the pre-activations, the hidden activations and the
// output for one batch X (B×din).
func forward(c graphConfig, p []*Node, X *Node) (gPre, act, up, hid, Y *Node) {
	gPre = DotGeneral(X, []int{1}, nil, p[0], []int{0}, nil) // B×h
	up = DotGeneral(X, []int{1}, nil, p[1], []int{0}, nil)   // B×h
	if c.bias {
		gPre = Add(gPre, p[3])
		up = Add(up, p[4])
	}
	switch c.act {
	case mlp.ReLU:
		act = Max(gPre, ScalarZero(X.Graph(), gPre.DType()))
	case mlp.SiLU:
		act = Mul(gPre, Logistic(gPre))
	default:
		act = gPre
	}
	hid = Mul(act, up)
	Y = DotGeneral(hid, []int{1}, nil, p[2], []int{1}, nil) // B×dout
	if c.bias {
		Y = Add(Y, p[5])
	}
	return
}

// gradients returns the gradient of the batch loss with respect to every
// parameter, written out by hand.
//
// Cross-entropy: L = mean_i [logsumexp_j ⟨y_i, v_j⟩ − ⟨y_i, t_i⟩], so
// ∂L/∂y_i = (softmax(y_i·Vᵀ)·V − t_i)/B: one F×|V| product, one fused
// softmax, one product back; no one-hot, no log.
// MSE (PyTorch's mean over all entries): ∂L/∂y = 2(y − t)/(B·dout).
func gradients(c graphConfig, p []*Node, X, Xt, T, V *Node) []*Node {
	B := X.Shape().Dimensions[0]
	dout := T.Shape().Dimensions[1]
	gPre, act, up, hid, Y := forward(c, p, X)
	var dY *Node
	if c.loss == MSE {
		dY = MulScalar(Sub(Y, T), 2/float64(B*dout))
	} else {
		k := max(1, min(c.splits, B/256))
		parts := make([]*Node, k)
		for i := range parts {
			Yi := Y
			if k > 1 {
				Yi = SliceAxis(Y, 0, AxisRange(i*B/k, (i+1)*B/k))
			}
			logits := DotGeneral(Yi, []int{1}, nil, V, []int{1}, nil) // B/k × |V|
			parts[i] = DotGeneral(Softmax(logits, -1), []int{1}, nil, V, []int{0}, nil)
		}
		PV := parts[0]
		if k > 1 {
			PV = Concatenate(parts, 0)
		}
		dY = MulScalar(Sub(PV, T), 1/float64(B))
	}
	// Transpose the small dY (B×dout) explicitly: contracting both operands
	// on axis 0 would make the backend transpose the large hid (B×h) too.
	dDown := DotGeneral(Transpose(dY, 0, 1), []int{1}, nil, hid, []int{0}, nil) // dout×h
	dHid := DotGeneral(dY, []int{1}, nil, p[2], []int{0}, nil)                  // B×h
	dUp := Mul(dHid, act)
	dAct := Mul(dHid, up)
	var dPre *Node
	switch c.act {
	case mlp.ReLU:
		dPre = Where(GreaterThan(gPre, ScalarZero(X.Graph(), gPre.DType())), dAct, ZerosLike(dAct))
	case mlp.SiLU:
		s := Logistic(gPre)
		one := ScalarOne(X.Graph(), s.DType())
		dPre = Mul(dAct, Mul(s, Add(one, Mul(gPre, Sub(one, s)))))
	default:
		dPre = dAct
	}
	grads := []*Node{
		DotGeneral(Xt, []int{1}, nil, dPre, []int{0}, nil), // din×h
		DotGeneral(Xt, []int{1}, nil, dUp, []int{0}, nil),  // din×h
		dDown,
	}
	if c.bias {
		grads = append(grads,
			ReduceAndKeep(dPre, ReduceSum, 0),
			ReduceAndKeep(dUp, ReduceSum, 0),
			ReduceAndKeep(dY, ReduceSum, 0))
	}
	return grads
}

// naiveGradients is the textbook graph: log-softmax, one-hot, autodiff.
// Kept only as the benchmark's baseline.
func naiveGradients(c graphConfig, p []*Node, X, T, V, labels *Node) []*Node {
	_, _, _, _, Y := forward(c, p, X)
	logits := DotGeneral(Y, []int{1}, nil, V, []int{1}, nil)
	nv := V.Shape().Dimensions[0]
	oneHot := OneHot(labels, nv, dtypes.Float32)
	loss := Neg(ReduceAllMean(ReduceSum(Mul(LogSoftmax(logits, -1), oneHot), -1)))
	return Gradient(loss, p...)
}

// stepGraph builds c.steps Adam steps. Inputs, in order:
//
//	X batches (1 or steps of them, B×din), their transposes (din×B),
//	T batches (same count, B×dout),
//	V (|V|×dout), for each step two scalars a_t = lr_t/(1−β₁ᵗ) and
//	c_t = 1/√(1−β₂ᵗ), then params, first moments, second moments
//	(and, for the naive graph only, label batches).
//
// Outputs: params, first moments, second moments.
func stepGraph(c graphConfig) func([]*Node) []*Node {
	return func(in []*Node) []*Node {
		nb := 1
		if c.fresh {
			nb = c.steps
		}
		np := c.numParams()
		xs, xts, ts := in[:nb], in[nb:2*nb], in[2*nb:3*nb]
		V := in[3*nb]
		sched := in[3*nb+1 : 3*nb+1+2*c.steps]
		rest := in[3*nb+1+2*c.steps:]
		p := append([]*Node(nil), rest[:np]...)
		m := append([]*Node(nil), rest[np:2*np]...)
		v := append([]*Node(nil), rest[2*np:3*np]...)
		var labels []*Node
		if c.naive {
			labels = rest[3*np : 3*np+nb]
		}
		for s := 0; s < c.steps; s++ {
			b := 0
			if c.fresh {
				b = s
			}
			var g []*Node
			if c.naive {
				g = naiveGradients(c, p, xs[b], ts[b], V, labels[b])
			} else {
				g = gradients(c, p, xs[b], xts[b], ts[b], V)
			}
			a, cc := sched[2*s], sched[2*s+1]
			for i := range p {
				m[i] = Add(MulScalar(m[i], c.beta1), MulScalar(g[i], 1-c.beta1))
				v[i] = Add(MulScalar(v[i], c.beta2), MulScalar(Mul(g[i], g[i]), 1-c.beta2))
				upd := Div(Mul(a, m[i]), AddScalar(Mul(Sqrt(v[i]), cc), c.eps))
				if c.wdecay > 0 && i < 3 {
					upd = Add(upd, Mul(a, MulScalar(p[i], c.wdecay)))
				}
				p[i] = Sub(p[i], upd)
			}
		}
		out := append(append(p, m...), v...)
		return out
	}
}

// evalGraph returns, for a chunk of keys X (C×din) with target embeddings
// T (C×dout) and target indices labels (C, int32): per-key correctness (1
// when the argmax of the logits is the target) and per-key loss.
func evalGraph(c graphConfig) func([]*Node) []*Node {
	return func(in []*Node) []*Node {
		X, T, V, labels := in[0], in[1], in[2], in[3]
		p := in[4 : 4+c.numParams()]
		_, _, _, _, Y := forward(c, p, X)
		logits := DotGeneral(Y, []int{1}, nil, V, []int{1}, nil)
		mx := ReduceAndKeep(logits, ReduceMax, -1)    // C×1
		lt := ReduceAndKeep(Mul(Y, T), ReduceSum, -1) // C×1
		correct := ConvertDType(Equal(ArgMax(logits, -1, dtypes.Int32), labels), dtypes.Float32)
		var loss *Node
		if c.loss == MSE {
			d := Sub(Y, T)
			loss = DivScalar(ReduceAndKeep(Mul(d, d), ReduceSum, -1), float64(T.Shape().Dimensions[1]))
		} else {
			lse := Add(mx, Log(ReduceAndKeep(Exp(Sub(logits, mx)), ReduceSum, -1)))
			loss = Sub(lse, lt)
		}
		return []*Node{correct, Reshape(loss, -1)}
	}
}
