package training

import (
	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph DSL reads better unqualified
)

// graphConfig fixes everything about a compiled step graph except the
// tensor shapes.
type graphConfig struct {
	act   mlp.Activation
	bias  bool
	loss  Loss
	steps int  // optimiser steps per call
	fresh bool // one batch per step (minibatches) instead of one shared batch
	adam  gomlxtrain.Adam
	naive bool // autodiff through LogSoftmax + one-hot (the benchmark's baseline)
	// splits is how many row blocks the F×|V| logits and softmax are cut
	// into; the backend runs independent blocks on different cores (its
	// fused softmax is single-threaded).
	splits int
	// models > 1 trains that many independent MLPs of one shape side by side:
	// every tensor gains a leading model axis, a batch axis of every product.
	// 0 or 1 is the plain graph, without that axis.
	models int
}

// batched reports whether tensors carry the leading model axis.
func (c graphConfig) batched() bool { return c.models > 1 }

// dot contracts axis ca of a with axis cb of b (axes counted without the
// model axis); batched, the model axis is a batch axis of the product.
func (c graphConfig) dot(a *Node, ca int, b *Node, cb int) *Node {
	if c.batched() {
		return DotGeneral(a, []int{ca + 1}, []int{0}, b, []int{cb + 1}, []int{0})
	}
	return DotGeneral(a, []int{ca}, nil, b, []int{cb}, nil)
}

// rowAxis is the axis of a batch's rows (keys).
func (c graphConfig) rowAxis() int {
	if c.batched() {
		return 1
	}
	return 0
}

// numParams is the number of parameter tensors: gate, up, down and, with
// biases, their three bias rows.
func (c graphConfig) numParams() int {
	if c.bias {
		return 6
	}
	return 3
}

// batches is how many distinct batches one call feeds.
func (c graphConfig) batches() int {
	if c.fresh {
		return c.steps
	}
	return 1
}

// Parameter order and layout: 0 gateᵀ (din×h), 1 upᵀ (din×h), 2 down
// (dout×h), 3 gate bias (1×h), 4 up bias (1×h), 5 down bias (1×dout).
//
// Gate and up are stored transposed (gomlxtrain.Gated.InputMajor) and Xᵀ
// (din×B) is an input, so every large product in the step runs without a
// transpose (only the small B×dout output gradient is transposed,
// explicitly, for ∂down).

// mlpOf is the gated MLP of the parameters p.
func (c graphConfig) mlpOf(p []*Node) gomlxtrain.Gated {
	w := gomlxtrain.Gated{Act: c.act, Gate: p[0], Up: p[1], Down: p[2], InputMajor: true, Models: c.batched()}
	if c.bias {
		w.GateBias, w.UpBias, w.DownBias = p[3], p[4], p[5]
	}
	return w
}

// gradients returns the gradient of the batch loss with respect to every
// parameter, written out by hand.
//
// Cross-entropy: L = mean_i [logsumexp_j ⟨y_i, v_j⟩ − ⟨y_i, t_i⟩], so
// ∂L/∂y_i = (softmax(y_i·Vᵀ)·V − t_i)/B: one F×|V| product, one fused
// softmax, one product back; no one-hot, no log.
// MSE (PyTorch's mean over all entries): ∂L/∂y = 2(y − t)/(B·dout).
func gradients(c graphConfig, p []*Node, X, Xt, T, V *Node) []*Node {
	r := c.rowAxis()
	B := X.Shape().Dimensions[r]
	dout := T.Shape().Dimensions[r+1]
	f := c.mlpOf(p).Forward(X)
	Y := f.Out
	var dY *Node
	if c.loss == MSE {
		dY = MulScalar(Sub(Y, T), 2/float64(B*dout))
	} else {
		k := max(1, min(c.splits, B/256))
		parts := make([]*Node, k)
		for i := range parts {
			Yi := Y
			if k > 1 {
				Yi = SliceAxis(Y, r, AxisRange(i*B/k, (i+1)*B/k))
			}
			logits := c.dot(Yi, 1, V, 1) // B/k × |V|
			parts[i] = c.dot(Softmax(logits, -1), 1, V, 0)
		}
		PV := parts[0]
		if k > 1 {
			PV = Concatenate(parts, r)
		}
		dY = MulScalar(Sub(PV, T), 1/float64(B))
	}
	// Transpose the small dY (B×dout) explicitly: contracting both operands
	// on axis 0 would make the backend transpose the large hid (B×h) too.
	dDown := c.dot(Transpose(dY, r, r+1), 1, f.Hidden, 0) // dout×h
	dHid := c.dot(dY, 1, p[2], 0)                         // B×h
	dUp := Mul(dHid, f.Act)
	dPre := gomlxtrain.ActivateGrad(c.act, f.Pre, Mul(dHid, f.Up))
	grads := []*Node{
		c.dot(Xt, 1, dPre, 0), // din×h
		c.dot(Xt, 1, dUp, 0),  // din×h
		dDown,
	}
	if c.bias {
		grads = append(grads,
			ReduceAndKeep(dPre, ReduceSum, r),
			ReduceAndKeep(dUp, ReduceSum, r),
			ReduceAndKeep(dY, ReduceSum, r))
	}
	return grads
}

// naiveGradients is the textbook graph: log-softmax, one-hot, autodiff.
// Kept only as the benchmark's baseline.
func naiveGradients(c graphConfig, p []*Node, X, V, labels *Node) []*Node {
	Y := c.mlpOf(p).Apply(X)
	logits := DotGeneral(Y, []int{1}, nil, V, []int{1}, nil)
	nv := V.Shape().Dimensions[0]
	oneHot := OneHot(labels, nv, dtypes.Float32)
	loss := Neg(ReduceAllMean(ReduceSum(Mul(LogSoftmax(logits, -1), oneHot), -1)))
	return Gradient(loss, p...)
}

// stepSignature names the step graph's inputs: per batch (one, or one per
// step with minibatches) "x" (B×din), "xt" (its transpose) and "t"
// (B×dout); "values" (|V|×dout); per step the Adam scalars "a" and "c"
// (gomlxtrain.Adam.Fold); the parameters "param" and moments "m", "v"; and,
// for the naive graph only, the target indices "labels" per batch.
func stepSignature(c graphConfig) *gomlxtrain.Signature {
	nb, np := c.batches(), c.numParams()
	nl := 0
	if c.naive {
		nl = nb
	}
	return gomlxtrain.NewSignature().Group("x", nb).Group("xt", nb).Group("t", nb).Add("values").
		Group("a", c.steps).Group("c", c.steps).Group("param", np).Group("m", np).Group("v", np).Group("labels", nl)
}

// stepGraph builds c.steps Adam steps. Outputs: params, first moments,
// second moments.
func stepGraph(c graphConfig) func(gomlxtrain.Inputs) []*Node {
	return func(in gomlxtrain.Inputs) []*Node {
		xs, xts, ts, labels := in.Group("x"), in.Group("xt"), in.Group("t"), in.Group("labels")
		V := in.Get("values")
		as, cs := in.Group("a"), in.Group("c")
		p, m, v := in.Group("param"), in.Group("m"), in.Group("v")
		for s := 0; s < c.steps; s++ {
			b := 0
			if c.fresh {
				b = s
			}
			var g []*Node
			if c.naive {
				g = naiveGradients(c, p, xs[b], V, labels[b])
			} else {
				g = gradients(c, p, xs[b], xts[b], ts[b], V)
			}
			scale := c.adam.Folded(as[s], cs[s])
			for i := range p {
				p[i], m[i], v[i] = c.adam.Update(scale, p[i], m[i], v[i], g[i], i < 3)
			}
		}
		return append(append(p, m...), v...)
	}
}

// evalSignature names the evaluation graph's inputs: a chunk of keys "x"
// (C×din), their targets "t" (C×dout), "values" and the target indices
// "labels" (C, int32), and the parameters "param".
func evalSignature(c graphConfig) *gomlxtrain.Signature {
	return gomlxtrain.NewSignature().Add("x", "t", "values", "labels").Group("param", c.numParams())
}

// evalGraph returns per-key correctness (1 when the argmax of the logits
// is the target) and per-key loss.
func evalGraph(c graphConfig) func(gomlxtrain.Inputs) []*Node {
	return func(in gomlxtrain.Inputs) []*Node {
		X, T, V, labels := in.Get("x"), in.Get("t"), in.Get("values"), in.Get("labels")
		Y := c.mlpOf(in.Group("param")).Apply(X)
		logits := c.dot(Y, 1, V, 1)
		mx := ReduceAndKeep(logits, ReduceMax, -1)    // C×1
		lt := ReduceAndKeep(Mul(Y, T), ReduceSum, -1) // C×1
		correct := ConvertDType(Equal(ArgMax(logits, -1, dtypes.Int32), labels), dtypes.Float32)
		var loss *Node
		if c.loss == MSE {
			d := Sub(Y, T)
			loss = DivScalar(ReduceAndKeep(Mul(d, d), ReduceSum, -1), float64(T.Shape().Dimensions[T.Rank()-1]))
		} else {
			// The softmax's largest entry is exp(0)/Σ = 1/Σ, so log Σ = −log max S:
			// the fused softmax (float32, on all cores) instead of the backend's
			// float64 Exp over all F×|V| logits, which cost about a tenth of a
			// capacity-search trial at F = 2048.
			lse := Sub(mx, Log(ReduceAndKeep(Softmax(logits, -1), ReduceMax, -1)))
			loss = Sub(lse, lt)
		}
		return []*Node{correct, Reshape(loss, -1)}
	}
}
