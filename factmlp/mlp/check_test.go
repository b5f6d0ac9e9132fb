package mlp

import (
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/mat"
)

// verifyReference is Verify as it was before the chunks ran in parallel:
// one chunk after another, the float64 forward pass through Forward's
// products and Apply, the float32 one cast afresh per chunk and multiplied
// by gonum. The check's report must stay what this gives, bit for bit.
func verifyReference(g *Gated, fs *factset.FactSet) Report {
	rep := Report{Facts: fs.NumFacts(), MinMargin: math.Inf(1), MinMargin32: math.Inf(1)}
	n := fs.NumFacts()
	for lo := 0; lo < n; lo += 512 {
		hi := min(lo+512, n)
		keys := fs.Keys.Slice(lo, hi, 0, fs.Dim())
		pre, up := mulT(keys, g.Gate), mulT(keys, g.Up)
		for i := 0; i < hi-lo; i++ {
			for r := 0; r < g.Hidden(); r++ {
				a, b := pre.At(i, r), up.At(i, r)
				if g.GateBias != nil {
					a += g.GateBias[r]
				}
				if g.UpBias != nil {
					b += g.UpBias[r]
				}
				pre.Set(i, r, g.Act.Apply(a)*b)
			}
		}
		Y := mulT(pre, g.Down)
		for i := 0; i < hi-lo && g.DownBias != nil; i++ {
			for j := range g.DownBias {
				Y.Set(i, j, Y.At(i, j)+g.DownBias[j])
			}
		}
		logits := mulT(Y, fs.Values)
		logits32 := forward32Reference(g, keys, fs.Values)
		for i := lo; i < hi; i++ {
			ok, margin := decode(logits.RawRowView(i-lo), fs.Map[i])
			if ok {
				rep.Correct++
			} else if len(rep.Wrong) < 20 {
				rep.Wrong = append(rep.Wrong, i)
			}
			rep.MinMargin = math.Min(rep.MinMargin, margin)
			ok32, margin32 := decode32(logits32[(i-lo)*fs.NumValues():(i-lo+1)*fs.NumValues()], fs.Map[i])
			if ok32 {
				rep.Correct32++
			}
			rep.MinMargin32 = math.Min(rep.MinMargin32, margin32)
		}
	}
	rep.Accuracy = float64(rep.Correct) / float64(n)
	rep.Accuracy32 = float64(rep.Correct32) / float64(n)
	return rep
}

func forward32Reference(g *Gated, keys mat.Matrix, values *mat.Dense) []float32 {
	gemm := func(a, b blas32.General) blas32.General {
		c := blas32.General{Rows: a.Rows, Cols: b.Rows, Stride: b.Rows, Data: make([]float32, a.Rows*b.Rows)}
		blas32.Gemm(blas.NoTrans, blas.Trans, 1, a, b, 0, c)
		return c
	}
	n, d := keys.Dims()
	h := g.Hidden()
	pre, up := gemm(to32(keys), to32(g.Gate)), gemm(to32(keys), to32(g.Up))
	for i := 0; i < n*h; i++ {
		a, b := pre.Data[i], up.Data[i]
		if g.GateBias != nil {
			a += float32(g.GateBias[i%h])
		}
		if g.UpBias != nil {
			b += float32(g.UpBias[i%h])
		}
		pre.Data[i] = float32(g.Act.Apply(float64(a))) * b
	}
	Y := gemm(pre, to32(g.Down))
	for i := 0; i < n*d && g.DownBias != nil; i++ {
		Y.Data[i] += float32(g.DownBias[i%d])
	}
	return gemm(Y, to32(values)).Data
}

// noisyLookup is a lookup MLP with noise: unit u opens (gate bias −0.8)
// near key u mod h and writes that key's value plus noise, so some facts
// decode and others, scattered, do not.
func noisyLookup(fs *factset.FactSet, h int, act Activation, biases bool, seed uint64) *Gated {
	r := rng.New(seed)
	d := fs.Dim()
	g := &Gated{Gate: mat.NewDense(h, d, nil), Up: mat.NewDense(h, d, nil), Down: mat.NewDense(d, h, nil), Act: act,
		GateBias: make([]float64, h)}
	for u := 0; u < h; u++ {
		i := u % fs.NumFacts()
		g.Gate.SetRow(u, fs.Keys.RawRowView(i))
		g.Up.SetRow(u, fs.Keys.RawRowView(i))
		g.GateBias[u] = -0.8
		for k := 0; k < d; k++ {
			g.Down.Set(k, u, fs.Values.At(fs.Map[i], k)+0.4*r.NormFloat64())
		}
	}
	if biases {
		g.UpBias, g.DownBias = make([]float64, h), make([]float64, d)
		for u := range h {
			g.UpBias[u] = 0.1 * r.NormFloat64()
		}
		for k := range d {
			g.DownBias[k] = 0.1 * r.NormFloat64()
		}
	}
	return g
}

// TestVerifyAsBefore compares Verify, on all cores and on one, with the
// serial check it replaced: the whole report, margins bit for bit, on fact
// sets with wrong keys, several chunks with a short last one, widths and
// dimensions that are and are not multiples of four, biases and every
// activation.
func TestVerifyAsBefore(t *testing.T) {
	cases := []struct {
		facts, values, dim, hidden int
		act                        Activation
		biases                     bool
	}{
		{1100, 1100, 16, 1100, ReLU, false},
		{1100, 300, 16, 1100, ReLU, true},
		{700, 700, 6, 353, SiLU, true},
		{40, 40, 8, 40, ReLU, true},
		{1030, 1030, 13, 515, Identity, false},
	}
	if testing.Short() { // the race run: three chunks (one short) with biases, and one chunk
		cases = cases[3:4]
		cases = append(cases, struct {
			facts, values, dim, hidden int
			act                        Activation
			biases                     bool
		}{1030, 300, 12, 200, ReLU, true})
	}
	for _, c := range cases {
		keys := factset.Spherical(c.facts, c.dim, rng.New(uint64(c.facts)))
		fs := factset.NewUntied(keys, factset.Spherical(c.values, c.dim, rng.New(2)), rng.New(3))
		g := noisyLookup(fs, c.hidden, c.act, c.biases, 4)
		want := verifyReference(g, fs)
		if want.Correct == 0 || want.Correct == c.facts {
			t.Fatalf("%+v: %d of %d correct; the case should have right and wrong keys", c, want.Correct, c.facts)
		}
		for _, workers := range []int{1, 2, 3} {
			got, err := verify(g, fs, workers)
			if err != nil {
				t.Fatal(err)
			}
			if !sameReport(got, want) {
				t.Fatalf("%+v, %d workers:\n got  %v wrong=%v\n want %v wrong=%v", c, workers, got, got.Wrong, want, want.Wrong)
			}
		}
	}
}

func sameReport(a, b Report) bool {
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	if a.Facts != b.Facts || a.Correct != b.Correct || a.Correct32 != b.Correct32 || len(a.Wrong) != len(b.Wrong) ||
		!same(a.MinMargin, b.MinMargin) || !same(a.MinMargin32, b.MinMargin32) ||
		!same(a.Accuracy, b.Accuracy) || !same(a.Accuracy32, b.Accuracy32) {
		return false
	}
	for i := range a.Wrong {
		if a.Wrong[i] != b.Wrong[i] {
			return false
		}
	}
	return true
}

// TestReluIsMax checks relu against math.Max(x, 0) on the special values.
func TestReluIsMax(t *testing.T) {
	for _, x := range []float64{math.Copysign(0, -1), 0, -1, 2, math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, -5e-324} {
		if got, want := relu(x), math.Max(x, 0); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("relu(%v) = %v, math.Max gives %v", x, got, want)
		}
	}
}
