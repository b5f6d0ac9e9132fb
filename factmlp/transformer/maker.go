package transformer

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

// Maker makes a fact MLP of hidden width hidden storing fs, from seed
// (construction.EncDec, the NTK baseline or GD training wrapped to this shape).
type Maker func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error)

// Lookup is the trivial exact fact MLP used as a reference and in tests: one
// ReLU unit per key (hidden must be the number of facts), gate row β·k_i with
// bias −β·τ so only key i's unit fires at k_i, and the down column of unit i
// the value v_f(i). τ is halfway between the largest off-diagonal key inner
// product and 1. It costs 3·F·d parameters: the most wasteful exact MLP.
func Lookup(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	n, d := fs.NumFacts(), fs.Dim()
	if hidden != n {
		return nil, fmt.Errorf("transformer: the lookup MLP needs hidden = number of facts = %d, got %d", n, hidden)
	}
	var G mat.Dense
	G.Mul(fs.Keys, fs.Keys.T())
	maxOff := -1.0
	for i := 0; i < n; i++ {
		if G.At(i, i) <= 0 {
			return nil, fmt.Errorf("transformer: key %d is zero", i)
		}
		for j := 0; j < n; j++ {
			if i != j {
				maxOff = math.Max(maxOff, G.At(i, j)/G.At(i, i))
			}
		}
	}
	if maxOff >= 1 {
		return nil, fmt.Errorf("transformer: keys are not separable by a threshold (max normalised inner product %.3f ≥ 1)", maxOff)
	}
	tau := (1 + maxOff) / 2
	beta := 1 / (1 - tau)
	g := &mlp.Gated{Gate: mat.NewDense(n, d, nil), Up: mat.NewDense(n, d, nil), Down: mat.NewDense(d, n, nil),
		GateBias: make([]float64, n), UpBias: make([]float64, n), Act: mlp.ReLU, Method: "lookup", Seed: seed}
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
