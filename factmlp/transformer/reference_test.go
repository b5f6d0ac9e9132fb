package transformer

import (
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// referenceLogits is a plain float64 implementation of the model at the
// query position, written from the paper's description (causal attention
// over positions 0…q, HF-Llama rotate-half RoPE, no shortcuts), to check the
// GoMLX query-row graph.
func referenceLogits(m *Model, tokens []int32, q int) []float64 {
	d := m.Dim
	x := func(p int) []float64 {
		out := make([]float64, d)
		for j := range out {
			out[j] = float64(m.EmbIn[int(tokens[p])*d+j])
		}
		return out
	}
	matvec := func(w []float32, v []float64) []float64 {
		out := make([]float64, d)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				out[i] += float64(w[i*d+j]) * v[j]
			}
		}
		return out
	}
	rope := func(v []float64, p int) []float64 {
		out := make([]float64, d)
		for i := 0; i < d/2; i++ {
			th := float64(p) * math.Pow(m.Cfg.RoPEBase, -2*float64(i)/float64(d))
			c, s := math.Cos(th), math.Sin(th)
			out[i] = v[i]*c - v[i+d/2]*s
			out[i+d/2] = v[i+d/2]*c + v[i]*s
		}
		return out
	}
	qv := rope(matvec(m.Wq, x(q)), q)
	scores := make([]float64, q+1)
	mx := math.Inf(-1)
	for p := 0; p <= q; p++ {
		k := rope(matvec(m.Wk, x(p)), p)
		for j := range k {
			scores[p] += qv[j] * k[j]
		}
		scores[p] /= math.Sqrt(float64(d))
		mx = math.Max(mx, scores[p])
	}
	var z float64
	for p := range scores {
		scores[p] = math.Exp(scores[p] - mx)
		z += scores[p]
	}
	ctx := make([]float64, d)
	for p := range scores {
		xp := x(p)
		for j := range ctx {
			ctx[j] += scores[p] / z * xp[j]
		}
	}
	h := matvec(m.Wo, matvec(m.Wv, ctx))
	if m.Cfg.Ablation.Residuals {
		xq := x(q)
		for j := range h {
			h[j] += xq[j]
		}
	}
	rmsNormed := func(v []float64) []float64 {
		var s float64
		for _, a := range v {
			s += a * a
		}
		r := math.Sqrt(s/float64(d) + rmsEps)
		out := make([]float64, d)
		for j := range v {
			out[j] = v[j] / r
		}
		return out
	}
	zin := rmsNormed(h)
	for j := range zin {
		zin[j] *= float64(m.NormScale[j])
	}
	y := m.MLP.Forward(mat.NewDense(1, d, zin)).RawRowView(0)
	out := append([]float64(nil), y...)
	if m.Cfg.Ablation.Residuals {
		for j := range out {
			out[j] += h[j]
		}
	}
	out = rmsNormed(out)
	V := m.Cfg.Task.Vocab()
	logits := make([]float64, V)
	for v := 0; v < V; v++ {
		for j := 0; j < d; j++ {
			logits[v] += out[j] * float64(m.EmbOut[v*d+j])
		}
	}
	return logits
}

func TestQueryRowMatchesReference(t *testing.T) {
	for _, ab := range []Ablation{{}, {Residuals: true}} {
		m, fs := small(t, ab)
		// Non-trivial attention: scale W_q, W_k up so the softmax is peaked somewhere.
		r := rng.New(9)
		for i := range m.Wq {
			m.Wq[i] *= 4
			m.Wk[i] *= 4
		}
		m.Wv[3] += 0.5 // break the identity so W_v's orientation is checked
		m.Wo[7*m.Dim+1] -= 0.5
		for j := range m.NormScale {
			m.NormScale[j] *= float32(1 + 0.1*r.Float64())
		}
		b, err := m.Cfg.Task.Sample(rng.New(8), 6, fs.Map)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Logits(m, b)
		if err != nil {
			t.Fatal(err)
		}
		V := m.Cfg.Task.Vocab()
		for i := 0; i < b.Size; i++ {
			want := referenceLogits(m, b.Tokens[i*b.SeqLen:(i+1)*b.SeqLen], int(b.QPos[i]))
			for v := 0; v < V; v++ {
				if d := math.Abs(float64(got[i*V+v]) - want[v]); d > 2e-3*(1+math.Abs(want[v])) {
					t.Fatalf("%s: sequence %d token %d: graph %v, reference %v", ab.Name(), i, v, got[i*V+v], want[v])
				}
			}
		}
	}
}
