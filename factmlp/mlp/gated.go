package mlp

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Activation is the gate non-linearity σ.
type Activation string

// The activations the paper uses: identity (a bilinear MLP, as in the GD
// capacity sweeps), ReLU (the construction's default) and SiLU/swish.
const (
	Identity Activation = "identity"
	ReLU     Activation = "relu"
	SiLU     Activation = "silu"
)

// ParseActivation accepts "identity", "relu", "silu" (or "swish").
func ParseActivation(s string) (Activation, error) {
	switch s {
	case "identity", "linear", "none":
		return Identity, nil
	case "relu":
		return ReLU, nil
	case "silu", "swish":
		return SiLU, nil
	}
	return "", fmt.Errorf("mlp: unknown activation %q; accepted: identity, relu, silu", s)
}

// Apply evaluates σ(x).
func (a Activation) Apply(x float64) float64 {
	switch a {
	case ReLU:
		return math.Max(x, 0)
	case SiLU:
		return x / (1 + math.Exp(-x))
	}
	return x
}

// Derivative evaluates σ'(x) (ReLU'(0) = 0).
func (a Activation) Derivative(x float64) float64 {
	switch a {
	case ReLU:
		if x > 0 {
			return 1
		}
		return 0
	case SiLU:
		s := 1 / (1 + math.Exp(-x))
		return s * (1 + x*(1-s))
	}
	return 1
}

// Gated is a gated MLP with hidden width h on d-dimensional inputs.
type Gated struct {
	Gate *mat.Dense // h×d
	Up   *mat.Dense // h×d
	Down *mat.Dense // d×h
	// Optional biases; nil means none.
	GateBias, UpBias, DownBias []float64
	Act                        Activation
	// Method names what produced the MLP ("encdec", "ntk", "gd", ...).
	Method string
	// Seed is the seed the method drew its random matrices from.
	Seed uint64
	// Seeded lists the tensors ("gate", "up", "down") that can be
	// regenerated from Seed and so need not be stored.
	Seeded []string
	// CodeDim is the decoder's code dimension m for encoder–decoder MLPs,
	// 0 otherwise.
	CodeDim int
}

// Hidden is the hidden width h.
func (g *Gated) Hidden() int { r, _ := g.Gate.Dims(); return r }

// Dim is the input and output dimension d.
func (g *Gated) Dim() int { _, c := g.Gate.Dims(); return c }

// Check validates the shapes and finiteness of the weights.
func (g *Gated) Check() error {
	if g.Gate == nil || g.Up == nil || g.Down == nil {
		return fmt.Errorf("mlp: gate, up and down are all required")
	}
	h, d := g.Gate.Dims()
	if r, c := g.Up.Dims(); r != h || c != d {
		return fmt.Errorf("mlp: up is %d×%d but gate is %d×%d; both must be hidden×dim", r, c, h, d)
	}
	if r, c := g.Down.Dims(); r != d || c != h {
		return fmt.Errorf("mlp: down is %d×%d; it must be dim×hidden = %d×%d", r, c, d, h)
	}
	for name, b := range map[string][]float64{"gate_bias": g.GateBias, "up_bias": g.UpBias} {
		if b != nil && len(b) != h {
			return fmt.Errorf("mlp: %s has length %d; it must be the hidden width %d", name, len(b), h)
		}
	}
	if g.DownBias != nil && len(g.DownBias) != d {
		return fmt.Errorf("mlp: down_bias has length %d; it must be the dimension %d", len(g.DownBias), d)
	}
	if _, err := ParseActivation(string(g.Act)); err != nil {
		return err
	}
	for name, m := range map[string]*mat.Dense{"gate": g.Gate, "up": g.Up, "down": g.Down} {
		r, c := m.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if x := m.At(i, j); math.IsNaN(x) || math.IsInf(x, 0) {
					return fmt.Errorf("mlp: %s[%d,%d] is %v; weights must be finite", name, i, j, x)
				}
			}
		}
	}
	return nil
}

// Hidden activations σ(Gate·x + b) ⊙ (Up·x + b) for every row of X (n×d),
// returned as n×h.
func (g *Gated) HiddenActivations(X mat.Matrix) *mat.Dense {
	n, _ := X.Dims()
	pre, up := mulT(X, g.Gate), mulT(X, g.Up)
	for i := 0; i < n; i++ {
		gateRow(g.Act, pre.RawRowView(i), up.RawRowView(i), g.GateBias, g.UpBias)
	}
	return pre
}

// Forward returns the MLP's output for every row of X (n×d) as n×d.
func (g *Gated) Forward(X mat.Matrix) *mat.Dense {
	H := g.HiddenActivations(X)
	n, _ := X.Dims()
	Y := mulT(H, g.Down)
	if g.DownBias != nil {
		for i := 0; i < n; i++ {
			row := Y.RawRowView(i)
			for j := range row {
				row[j] += g.DownBias[j]
			}
		}
	}
	return Y
}

// Params counts every stored parameter: gate, up, down and any biases.
func (g *Gated) Params() int {
	h, d := g.Hidden(), g.Dim()
	return 3*h*d + len(g.GateBias) + len(g.UpBias) + len(g.DownBias)
}

// ParamsWithoutSeeded counts the parameters that cannot be regenerated from
// the seed: Params minus the tensors listed in Seeded.
func (g *Gated) ParamsWithoutSeeded() int {
	p := g.Params()
	h, d := g.Hidden(), g.Dim()
	for _, name := range g.Seeded {
		switch name {
		case "gate", "up", "down":
			p -= h * d
		}
	}
	return p
}
