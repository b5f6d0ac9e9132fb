package capacity

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// NTK builds the gated NTK baseline of Nichani et al. (2024) as the
// successor code builds it (paper.md §4.1, Hermite degree 1) with m = h
// hidden units: G (h×d) with N(0, 1) entries, D (d×h) with N(0, 1) entries
// and unit columns, and the one-step associative memory
// A = (H ⊙ C)ᵀ K / h with H = K Gᵀ and C = V_f D; f(x) = D(σ(Gx) ⊙ Ax) with
// no biases (3hd parameters). It is not verified here.
func NTK(fs *factset.FactSet, h int, act mlp.Activation, seed uint64) (*mlp.Gated, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	if h < 1 {
		return nil, fmt.Errorf("capacity: ntk hidden width %d; it must be at least 1", h)
	}
	d := fs.Dim()
	gauss := func(r, c int, stream string) *mat.Dense {
		g := rng.Derive(seed, stream)
		m := mat.NewDense(r, c, nil)
		for i := 0; i < r; i++ {
			row := m.RawRowView(i)
			for j := range row {
				row[j] = g.NormFloat64()
			}
		}
		return m
	}
	G := gauss(h, d, "ntk/gate")
	D := gauss(d, h, "ntk/down")
	for c := 0; c < h; c++ {
		var s float64
		for r := 0; r < d; r++ {
			s += D.At(r, c) * D.At(r, c)
		}
		s = 1 / math.Sqrt(s)
		for r := 0; r < d; r++ {
			D.Set(r, c, D.At(r, c)*s)
		}
	}
	var H, C mat.Dense
	H.Mul(fs.Keys, G.T())  // |K|×h
	C.Mul(fs.Targets(), D) // |K|×h
	H.MulElem(&H, &C)      // H ⊙ C
	A := mat.NewDense(h, d, nil)
	A.Mul(H.T(), fs.Keys)
	A.Scale(1/float64(h), A)
	return &mlp.Gated{Gate: G, Up: A, Down: D, Act: act, Method: "ntk", Seed: seed, Seeded: []string{"gate", "down"}}, nil
}
