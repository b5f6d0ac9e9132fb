package mlp

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/linalg"
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

// verifyChunk is how many keys the check takes at a time. It also decides
// which of gonum's float32 summation orders applies (see linalg.MulT32), so
// it is fixed: the float32 report must not change with it.
const verifyChunk = 512

// Verify runs the exact argmax check of g on every key of fs against every
// value, in float64 and again in float32. Chunks of keys run on all cores;
// each key's result does not depend on which goroutine checked it, and the
// report is merged in key order, so it is the same on any number of cores.
func Verify(g *Gated, fs *factset.FactSet) (Report, error) {
	if err := g.Check(); err != nil {
		return Report{}, err
	}
	if g.Dim() != fs.Dim() {
		return Report{}, fmt.Errorf("mlp: the MLP has dimension %d but the fact set has dimension %d", g.Dim(), fs.Dim())
	}
	chunks := (fs.NumFacts() + verifyChunk - 1) / verifyChunk
	return verify(g, fs, max(1, min(runtime.GOMAXPROCS(0), chunks)))
}

// keyResult is one key's outcome in both precisions.
type keyResult struct {
	ok, ok32         bool
	margin, margin32 float64
}

// verify is Verify with the chunks spread over workers goroutines; with
// one, the chunks run in turn and each product uses all cores instead.
func verify(g *Gated, fs *factset.FactSet, workers int) (Report, error) {
	n := fs.NumFacts()
	w, err := newCheckWeights(g, fs.Values, workers > 1)
	if err != nil {
		return Report{}, err
	}
	results := make([]keyResult, n)
	chunks := (n + verifyChunk - 1) / verifyChunk
	var next atomic.Int64
	errs := make([]error, workers)
	run := func(worker int) {
		buf := w.newBuffers(min(verifyChunk, n))
		for {
			c := int(next.Add(1)) - 1
			if c >= chunks {
				return
			}
			lo, hi := c*verifyChunk, min((c+1)*verifyChunk, n)
			if err := w.check(buf, fs, lo, hi, results[lo:hi]); err != nil {
				errs[worker] = err
				return
			}
		}
	}
	var wg sync.WaitGroup
	for worker := 1; worker < workers; worker++ {
		wg.Go(func() { run(worker) })
	}
	run(0)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return Report{}, err
		}
	}
	rep := Report{Facts: n, MinMargin: math.Inf(1), MinMargin32: math.Inf(1)}
	for i, r := range results {
		if r.ok {
			rep.Correct++
		} else if len(rep.Wrong) < 20 {
			rep.Wrong = append(rep.Wrong, i)
		}
		rep.MinMargin = math.Min(rep.MinMargin, r.margin)
		if r.ok32 {
			rep.Correct32++
		}
		rep.MinMargin32 = math.Min(rep.MinMargin32, r.margin32)
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

// to32 casts m to a new float32 matrix.
func to32(m mat.Matrix) blas32.General {
	r, c := m.Dims()
	out := blas32.General{Rows: r, Cols: c, Stride: c, Data: make([]float32, r*c)}
	if raw, ok := m.(mat.RawMatrixer); ok {
		src := raw.RawMatrix()
		for i := 0; i < r; i++ {
			for j, x := range src.Data[i*src.Stride : i*src.Stride+c] {
				out.Data[i*c+j] = float32(x)
			}
		}
		return out
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out.Data[i*c+j] = float32(m.At(i, j))
		}
	}
	return out
}
