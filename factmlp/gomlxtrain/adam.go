package gomlxtrain

import (
	"fmt"
	"math"
	"math/big"
	"strconv"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph DSL reads better unqualified
)

// Adam is the Adam update rule with decoupled weight decay (AdamW):
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
//	p ← p − lr·( m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ε) + λp )
//
// at step t = 1, 2, …, with λ = WeightDecay applied only to the parameters
// the caller marks (matrices, typically).
type Adam struct {
	Beta1, Beta2 float64
	Eps          float64
	WeightDecay  float64
}

// DefaultAdam is β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and no weight decay.
func DefaultAdam() Adam { return Adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8} }

// Validate reports betas outside [0, 1) or a negative ε or weight decay.
func (a Adam) Validate() error {
	if !(a.Beta1 >= 0 && a.Beta1 < 1 && a.Beta2 >= 0 && a.Beta2 < 1) {
		return fmt.Errorf("gomlxtrain: Adam betas %g, %g; both must be in [0, 1)", a.Beta1, a.Beta2)
	}
	if !(a.Eps >= 0) || !(a.WeightDecay >= 0) {
		return fmt.Errorf("gomlxtrain: Adam eps %g, weight decay %g; both must be ≥ 0", a.Eps, a.WeightDecay)
	}
	return nil
}

// oneMinus is 1−b rounded once from b's shortest decimal form: 0.1 for
// 0.9 and 0.001 for 0.999, as Go's exact constant arithmetic gives for
// "1 − 0.9" in source, rather than 1 − fl(0.9), which differs in the last
// bit. The float64 step keeps the numbers it was written and measured with.
func oneMinus(b float64) float64 {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(b, 'g', -1, 64))
	if !ok {
		return 1 - b
	}
	f, _ := r.Sub(big.NewRat(1, 1), r).Float64()
	return f
}

// StepScale is how one step's learning rate and bias corrections enter the
// graph update; make it with InGraph or Folded.
type StepScale struct {
	lr, c1, c2 *Node // InGraph: lr, 1−β₁ᵗ, 1−β₂ᵗ
	a, c       *Node // Folded: lr/(1−β₁ᵗ), 1/√(1−β₂ᵗ)
}

// InGraph computes the bias corrections 1−βᵗ in the graph from the step
// count t (1-based); t and the step's learning rate lr are scalars of the
// parameters' dtype.
func (a Adam) InGraph(lr, t *Node) StepScale {
	g := t.Graph()
	return StepScale{lr: lr,
		c1: OneMinus(Pow(Scalar(g, t.DType(), a.Beta1), t)),
		c2: OneMinus(Pow(Scalar(g, t.DType(), a.Beta2), t))}
}

// Folded takes the two scalars of Fold as graph inputs: the bias
// corrections are computed on the host in float64 and folded into the step
// size, so the update needs no division by them. The GD fact-MLP step uses
// it (several steps run per compiled call).
func (a Adam) Folded(stepSize, rsqrtC2 *Node) StepScale { return StepScale{a: stepSize, c: rsqrtC2} }

// Fold returns the host scalars of step t (1-based) for Folded:
// lr/(1−β₁ᵗ) and 1/√(1−β₂ᵗ).
func (a Adam) Fold(lr float64, t int) (stepSize, rsqrtC2 float64) {
	return lr / (1 - math.Pow(a.Beta1, float64(t))), 1 / math.Sqrt(1-math.Pow(a.Beta2, float64(t)))
}

// Update is one Adam step of parameter p with gradient grad and moments m,
// v; decay applies the weight decay to this parameter. It returns the new
// parameter and moments.
//
// With a Folded scale the update is a·m/(√v·c + ε) (+ a·λp): the same rule
// rounded differently, except that the weight decay is scaled by
// 1/(1−β₁ᵗ) too, as the GD fact-MLP trainer has always run it.
func (a Adam) Update(s StepScale, p, m, v, grad *Node, decay bool) (newP, newM, newV *Node) {
	newM = Add(MulScalar(m, a.Beta1), MulScalar(grad, oneMinus(a.Beta1)))
	newV = Add(MulScalar(v, a.Beta2), MulScalar(Square(grad), oneMinus(a.Beta2)))
	decay = decay && a.WeightDecay > 0
	if s.a != nil {
		upd := Div(Mul(s.a, newM), AddScalar(Mul(Sqrt(newV), s.c), a.Eps))
		if decay {
			upd = Add(upd, Mul(s.a, MulScalar(p, a.WeightDecay)))
		}
		return Sub(p, upd), newM, newV
	}
	upd := Div(Div(newM, s.c1), AddScalar(Sqrt(Div(newV, s.c2)), a.Eps))
	if decay {
		upd = Add(upd, MulScalar(p, a.WeightDecay))
	}
	return Sub(p, Mul(s.lr, upd)), newM, newV
}

// Step64 is one Adam step (t ≥ 1) in float64 on the host: x, m and v are
// updated in place from grad. The weight decay, if any, applies to x.
func (a Adam) Step64(x, m, v, grad []float64, lr float64, t int) {
	b1, b2, eps := a.Beta1, a.Beta2, a.Eps
	c1, c2 := oneMinus(b1), oneMinus(b2)
	d1, d2 := 1-math.Pow(b1, float64(t)), 1-math.Pow(b2, float64(t))
	for j := range x {
		m[j] = b1*m[j] + c1*grad[j]
		v[j] = b2*v[j] + c2*grad[j]*grad[j]
		mh, vh := m[j]/d1, v[j]/d2
		upd := lr * mh / (math.Sqrt(vh) + eps)
		if a.WeightDecay > 0 {
			upd += lr * a.WeightDecay * x[j]
		}
		x[j] -= upd
	}
}
