package construction

import (
	"fmt"
	"math"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// NTKOptions configures NTK. The zero value is ready to use.
type NTKOptions struct {
	Seed uint64
	// Act is the gate non-linearity (default ReLU, as in the successor code).
	Act mlp.Activation
	// HermiteDegree is the degree p of the normalised Hermite feature h_p
	// (default 1, the paper runs' setting: H = K Gᵀ).
	HermiteDegree int
}

// hermite evaluates the normalised probabilists' Hermite polynomial h_p(x):
// h_0 = 1, h_1 = x, h_{n+1} = (x·h_n − √n·h_{n−1})/√(n+1).
func hermite(p int, x float64) float64 {
	if p == 0 {
		return 1
	}
	h0, h1 := 1.0, x
	for n := 1; n < p; n++ {
		h0, h1 = h1, (x*h1-math.Sqrt(float64(n))*h0)/math.Sqrt(float64(n+1))
	}
	return h1
}

// NTKUnverified builds the NTK baseline of Nichani et al. (2024) with hidden
// width h exactly as the successor code's construct_ntk_parameters does, in
// float64: G (h×d) ~ N(0,1); D (d×h) ~ N(0,1) with unit-norm columns;
// H = h_p(K Gᵀ); C = V_f D; A = (H ⊙ C)ᵀ K / h; y = D(σ(Gx) ⊙ Ax), no biases.
// It does not verify: the NTK baseline legitimately fails to store facts
// when h is too small or the embeddings are anisotropic.
func NTKUnverified(fs *factset.FactSet, hidden int, opts NTKOptions) (*mlp.Gated, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	if hidden < 1 {
		return nil, fmt.Errorf("construction: NTK hidden width %d; it must be at least 1", hidden)
	}
	if opts.Act == "" {
		opts.Act = mlp.ReLU
	}
	if _, err := mlp.ParseActivation(string(opts.Act)); err != nil {
		return nil, err
	}
	p := opts.HermiteDegree
	if p == 0 {
		p = 1
	}
	if p < 0 {
		return nil, fmt.Errorf("construction: Hermite degree %d; it must be at least 0", p)
	}
	F, d := fs.NumFacts(), fs.Dim()
	r := rng.Derive(opts.Seed, "ntk")
	G := mat.NewDense(hidden, d, nil)
	for i := 0; i < hidden; i++ {
		row := G.RawRowView(i)
		for k := range row {
			row[k] = r.NormFloat64()
		}
	}
	D := mat.NewDense(d, hidden, nil)
	for i := 0; i < d; i++ {
		row := D.RawRowView(i)
		for k := range row {
			row[k] = r.NormFloat64()
		}
	}
	for c := 0; c < hidden; c++ {
		var s float64
		for i := 0; i < d; i++ {
			s += D.At(i, c) * D.At(i, c)
		}
		s = 1 / math.Sqrt(s)
		for i := 0; i < d; i++ {
			D.Set(i, c, D.At(i, c)*s)
		}
	}
	// H ⊙ C, both |K|×h.
	var HC, C mat.Dense
	HC.Mul(fs.Keys, G.T())
	C.Mul(fs.Targets(), D)
	for i := 0; i < F; i++ {
		hrow, crow := HC.RawRowView(i), C.RawRowView(i)
		for k := range hrow {
			hrow[k] = hermite(p, hrow[k]) * crow[k]
		}
	}
	A := mat.NewDense(hidden, d, nil)
	A.Mul(HC.T(), fs.Keys)
	A.Scale(1/float64(hidden), A)
	return &mlp.Gated{Gate: G, Up: A, Down: D, Act: opts.Act, Method: "ntk", Seed: opts.Seed,
		Seeded: []string{"gate", "down"}}, nil
}

// NTK builds the NTK baseline with hidden width h and verifies it; it
// returns the MLP and its report, and an error if it does not store every
// fact (the report is then still returned in Info).
func NTK(fs *factset.FactSet, hidden int, opts NTKOptions) (*mlp.Gated, *Info, error) {
	t0 := time.Now()
	g, err := NTKUnverified(fs, hidden, opts)
	if err != nil {
		return nil, nil, err
	}
	info := &Info{Method: "ntk", Hidden: hidden, Durations: map[string]time.Duration{"construct": time.Since(t0)}}
	t0 = time.Now()
	rep, err := mlp.Verify(g, fs)
	info.Durations["verify"] = time.Since(t0)
	if err != nil {
		return nil, nil, err
	}
	info.Report = rep
	if !rep.Stores() {
		return g, info, fmt.Errorf("construction: the NTK baseline with hidden width %d stores %d of %d facts (float32: %d); it needs a larger width", hidden, rep.Correct, rep.Facts, rep.Correct32)
	}
	return g, info, nil
}
