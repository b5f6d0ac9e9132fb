package mlp

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/linalg"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/mat"
)

// Report is the result of the exact argmax check of an MLP on a fact set.
type Report struct {
	Facts     int     // number of keys checked
	Correct   int     // keys whose argmax is their value
	Accuracy  float64 // Correct / Facts
	MinMargin float64 // γ_min = min_i ⟨y_i, v_f(i)⟩ − max_{j≠f(i)} ⟨y_i, v_j⟩ (float64)
	// Wrong lists up to 20 keys that decode to the wrong value.
	Wrong []int
	// The same check with weights, keys and values cast to float32.
	Correct32   int
	Accuracy32  float64
	MinMargin32 float64
}

// Stores reports whether every fact decodes correctly in both precisions.
func (r Report) Stores() bool { return r.Correct == r.Facts && r.Correct32 == r.Facts }

func (r Report) String() string {
	return fmt.Sprintf("%d/%d facts (accuracy %.4f, γ_min %.3g; float32: %d/%d, γ_min %.3g)",
		r.Correct, r.Facts, r.Accuracy, r.MinMargin, r.Correct32, r.Facts, r.MinMargin32)
}

// Verify runs the exact argmax check of g on every key of fs against every
// value, in float64 and again in float32.
func Verify(g *Gated, fs *factset.FactSet) (Report, error) {
	if err := g.Check(); err != nil {
		return Report{}, err
	}
	if g.Dim() != fs.Dim() {
		return Report{}, fmt.Errorf("mlp: the MLP has dimension %d but the fact set has dimension %d", g.Dim(), fs.Dim())
	}
	rep := Report{Facts: fs.NumFacts(), MinMargin: math.Inf(1), MinMargin32: math.Inf(1)}
	const chunk = 512
	n := fs.NumFacts()
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		keys := fs.Keys.Slice(lo, hi, 0, fs.Dim())
		logits := mulT(g.Forward(keys), fs.Values)
		for i := lo; i < hi; i++ {
			ok, margin := decode(logits.RawRowView(i-lo), fs.Map[i])
			if ok {
				rep.Correct++
			} else if len(rep.Wrong) < 20 {
				rep.Wrong = append(rep.Wrong, i)
			}
			rep.MinMargin = math.Min(rep.MinMargin, margin)
		}
		logits32 := forward32(g, keys, fs.Values)
		for i := lo; i < hi; i++ {
			row := logits32[(i-lo)*fs.NumValues() : (i-lo+1)*fs.NumValues()]
			ok, margin := decode32(row, fs.Map[i])
			if ok {
				rep.Correct32++
			}
			rep.MinMargin32 = math.Min(rep.MinMargin32, margin)
		}
	}
	rep.Accuracy = float64(rep.Correct) / float64(n)
	rep.Accuracy32 = float64(rep.Correct32) / float64(n)
	return rep, nil
}

// mulT returns a·bᵀ in float64 on package linalg's kernel (the check's
// products are keys × weights and outputs × values: most of its time).
// Its sums run in another order than gonum's, so the logits may differ in
// the last bits; a margin that small is no margin at all. Shapes that do not
// match go to gonum, which panics as it always did (callers check them).
func mulT(a, b mat.Matrix) *mat.Dense {
	if c, err := linalg.MulT(a, b); err == nil {
		return c
	}
	var c mat.Dense
	c.Mul(a, b.T())
	return &c
}

// decode returns whether target is the strict argmax of row and the margin.
func decode(row []float64, target int) (bool, float64) {
	best := math.Inf(-1)
	for j, x := range row {
		if j != target && x > best {
			best = x
		}
	}
	m := row[target] - best
	return m > 0, m
}

func decode32(row []float32, target int) (bool, float64) {
	best := float32(math.Inf(-1))
	for j, x := range row {
		if j != target && x > best {
			best = x
		}
	}
	m := row[target] - best
	return m > 0, float64(m)
}

// forward32 computes the logits of keys against values entirely in float32,
// as a float32 model would, and returns them row-major (keys × values).
func forward32(g *Gated, keys mat.Matrix, values *mat.Dense) []float32 {
	n, d := keys.Dims()
	h := g.Hidden()
	nv, _ := values.Dims()
	X := to32(keys)
	pre := gemm(X, to32(g.Gate), n, h, d)
	up := gemm(X, to32(g.Up), n, h, d)
	for i := 0; i < n; i++ {
		for r := 0; r < h; r++ {
			a, b := pre.Data[i*h+r], up.Data[i*h+r]
			if g.GateBias != nil {
				a += float32(g.GateBias[r])
			}
			if g.UpBias != nil {
				b += float32(g.UpBias[r])
			}
			pre.Data[i*h+r] = float32(g.Act.Apply(float64(a))) * b
		}
	}
	Y := gemm(pre, to32(g.Down), n, d, h)
	if g.DownBias != nil {
		for i := 0; i < n; i++ {
			for j := 0; j < d; j++ {
				Y.Data[i*d+j] += float32(g.DownBias[j])
			}
		}
	}
	return gemm(Y, to32(values), n, nv, d).Data
}

func to32(m mat.Matrix) blas32.General {
	r, c := m.Dims()
	out := blas32.General{Rows: r, Cols: c, Stride: c, Data: make([]float32, r*c)}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out.Data[i*c+j] = float32(m.At(i, j))
		}
	}
	return out
}

// gemm returns A·Bᵀ for A (n×k) and B (m×k).
func gemm(a, b blas32.General, n, m, k int) blas32.General {
	c := blas32.General{Rows: n, Cols: m, Stride: m, Data: make([]float32, n*m)}
	blas32.Gemm(blas.NoTrans, blas.Trans, 1, a, b, 0, c)
	return c
}
