//go:build goexperiment.simd && amd64

package softmax

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// The GD step's logits at F = 2048 facts, |V| = 2048 values.
const rows, cols = 2048, 2048

func logits(rows int) []float32 {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, rows*cols)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 3)
	}
	return x
}

// Vector computes Scalar's softmax to float32 rounding (they sum in other
// orders, and round n = x·log₂e to even instead of half up).
func TestVectorMatchesScalar(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512")
	}
	in := logits(64)
	a, b := make([]float32, len(in)), make([]float32, len(in))
	Scalar(in, a, cols, Exp32)
	Vector(in, b, cols)
	for i := range a {
		if d := math.Abs(float64(a[i] - b[i])); d > 1e-5*float64(a[i])+1e-12 {
			t.Fatalf("element %d: vector %g, scalar %g", i, b[i], a[i])
		}
	}
	if e := Exp32(0); e != 1 {
		t.Fatalf("Exp32(0) = %g", e)
	}
}

func BenchmarkScalar(b *testing.B) {
	in := logits(rows)
	out := make([]float32, len(in))
	for b.Loop() {
		Scalar(in, out, cols, Exp32)
	}
}

func BenchmarkVector(b *testing.B) {
	if !archsimd.X86.AVX512() {
		b.Skip("no AVX-512")
	}
	in := logits(rows)
	out := make([]float32, len(in))
	for b.Loop() {
		Vector(in, out, cols)
	}
}
