package mlp

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/factset"
	"gonum.org/v1/gonum/mat"
)

// Lookup is the trivial exact fact MLP, a reference for the constructions and
// a fixture for tests: one ReLU unit per key (hidden width = number of facts),
// gate row β·k_i with bias −β·τ so only key i's unit fires at k_i, and the
// down column of unit i the value v_f(i). τ is halfway between the largest
// off-diagonal key inner product and 1. It costs 3·F·d parameters: the most
// wasteful exact MLP.
func Lookup(fs *factset.FactSet) (*Gated, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	n, d := fs.NumFacts(), fs.Dim()
	var G mat.Dense
	G.Mul(fs.Keys, fs.Keys.T())
	maxOff := -1.0
	for i := 0; i < n; i++ {
		if G.At(i, i) <= 0 {
			return nil, fmt.Errorf("mlp: lookup: key %d is zero", i)
		}
		for j := 0; j < n; j++ {
			if i != j {
				maxOff = math.Max(maxOff, G.At(i, j)/G.At(i, i))
			}
		}
	}
	if maxOff >= 1 {
		return nil, fmt.Errorf("mlp: lookup: keys are not separable by a threshold (max normalised inner product %.3f ≥ 1)", maxOff)
	}
	tau := (1 + maxOff) / 2
	beta := 1 / (1 - tau)
	g := &Gated{Gate: mat.NewDense(n, d, nil), Up: mat.NewDense(n, d, nil), Down: mat.NewDense(d, n, nil),
		GateBias: make([]float64, n), UpBias: make([]float64, n), Act: ReLU, Method: "lookup"}
	for i := 0; i < n; i++ {
		k := fs.Keys.RawRowView(i)
		s := 1 / G.At(i, i)
		for j := range k {
			g.Gate.Set(i, j, beta*k[j]*s)
		}
		g.GateBias[i] = -beta * tau
		g.UpBias[i] = 1
		act := beta * (1 - tau)
		v := fs.Values.RawRowView(fs.Map[i])
		for j := range v {
			g.Down.Set(j, i, v[j]/act)
		}
	}
	return g, nil
}

// Widen returns a copy of g with hidden width h ≥ g.Hidden(): the extra units
// have zero weights and biases, so the output is unchanged. The copy has no
// Seeded tensors (its zero rows are not what a seed regenerates).
func Widen(g *Gated, h int) (*Gated, error) {
	if err := g.Check(); err != nil {
		return nil, err
	}
	h0, d := g.Hidden(), g.Dim()
	if h < h0 {
		return nil, fmt.Errorf("mlp: Widen to %d units; the MLP already has %d", h, h0)
	}
	w := *g
	w.Gate, w.Up, w.Down = mat.NewDense(h, d, nil), mat.NewDense(h, d, nil), mat.NewDense(d, h, nil)
	w.Gate.Slice(0, h0, 0, d).(*mat.Dense).Copy(g.Gate)
	w.Up.Slice(0, h0, 0, d).(*mat.Dense).Copy(g.Up)
	w.Down.Slice(0, d, 0, h0).(*mat.Dense).Copy(g.Down)
	pad := func(b []float64) []float64 {
		if b == nil {
			return nil
		}
		return append(append(make([]float64, 0, h), b...), make([]float64, h-h0)...)
	}
	w.GateBias, w.UpBias = pad(g.GateBias), pad(g.UpBias)
	if g.DownBias != nil {
		w.DownBias = append([]float64(nil), g.DownBias...)
	}
	// Zero rows appended to a seeded tensor are not what the seed regenerates.
	w.Seeded = nil
	return &w, nil
}
