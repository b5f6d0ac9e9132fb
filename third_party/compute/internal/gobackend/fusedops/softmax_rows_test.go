// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
//
// factmlp patch (third_party/compute/PATCH.md).

package fusedops

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/internal/fastmath"
	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/shapes"
)

// sameBits reports whether a and b are the same float32, any NaN equal to any NaN.
func sameBits(a, b float32) bool {
	if a != a && b != b {
		return true
	}
	return math.Float32bits(a) == math.Float32bits(b)
}

// specials are inputs at and around the exp's clamps and rounding points.
func specials() []float32 {
	xs := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 88.02969187150841, -88.02969187150841, 88, -88, 89, -89, 87.5, -87.5,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32}
	for k := -130; k <= 130; k++ { // x·log₂e + ½ at and near integers
		x := (float64(k) - 0.5) / 1.44269504088896341
		for _, d := range []float32{-2, -1, 0, 1, 2} {
			xs = append(xs, math.Float32frombits(uint32(int32(math.Float32bits(float32(x)))+int32(d))))
		}
	}
	return xs
}

func TestVectorExpMatchesExp32(t *testing.T) {
	if softmaxRow32 == nil || !hasVectorExp() {
		t.Skip("no vectorised exp on this CPU or build")
	}
	check := func(xs []float32) {
		for len(xs)%16 != 0 {
			xs = append(xs, 0)
		}
		got := make([]float32, len(xs))
		vectorExp(xs, got)
		for i, x := range xs {
			if want := fastmath.Exp32(x); !sameBits(got[i], want) {
				t.Fatalf("exp(%g) (bits %#08x): vector %g (%#08x), scalar %g (%#08x)", x, math.Float32bits(x),
					got[i], math.Float32bits(got[i]), want, math.Float32bits(want))
			}
		}
	}
	check(specials())
	// Every float32 in [-90, 90] in steps of 2^11 bit patterns, and 2^20 random bit patterns.
	var xs []float32
	for b := uint32(0); b < 0x42b40000; b += 1 << 11 {
		xs = append(xs, math.Float32frombits(b), -math.Float32frombits(b))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1 << 20 {
		xs = append(xs, math.Float32frombits(r.Uint32()))
	}
	check(xs)
	if os.Getenv("FUSEDOPS_EXHAUSTIVE") != "" { // every float32: about a minute
		buf := make([]float32, 0, 1<<16)
		for hi := uint64(0); hi < 1<<32; hi += 1 << 16 {
			buf = buf[:0]
			for lo := uint64(0); lo < 1<<16; lo++ {
				buf = append(buf, math.Float32frombits(uint32(hi+lo)))
			}
			check(buf)
		}
	}
}

// TestSoftmaxFloat32MatchesGeneric compares the patched float32 softmax
// (rows on workers, SIMD where available) with upstream's generic loop, bit
// for bit, on row lengths around the lane width and on logits with −Inf.
func TestSoftmaxFloat32MatchesGeneric(t *testing.T) {
	backend, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	// Row counts below, at and past the blocks of four rows (softmax4Rows32).
	for _, dims := range [][]int{{1, 1}, {3, 15}, {5, 16}, {7, 17}, {2, 33}, {4, 1}, {8, 31}, {9, 48}, {6, 512},
		{300, 257}, {64, 2048}, {4, 3, 40}} {
		shape := shapes.Make(dtypes.Float32, dims...)
		n := shape.Size()
		in := make([]float32, n)
		for i := range in {
			in[i] = float32(r.NormFloat64() * 30)
			if r.IntN(50) == 0 {
				in[i] = float32(math.Inf(-1))
			}
		}
		if dims[0] == 9 { // a row of −Inf only: 0/0, NaN as upstream
			for i := 48; i < 96; i++ {
				in[i] = float32(math.Inf(-1))
			}
		}
		want, got := make([]float32, n), make([]float32, n)
		axis := len(dims) - 1
		fusedSoftmax(in, want, axis, shape, fastmath.Exp32)
		fusedSoftmaxFloat32(backend.(*gobackend.Backend), in, got, axis, shape)
		for i := range want {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("%v: element %d: patched %g, generic %g", dims, i, got[i], want[i])
			}
		}
		if len(dims) == 3 { // a middle axis takes the generic loop
			fusedSoftmax(in, want, 1, shape, fastmath.Exp32)
			fusedSoftmaxFloat32(backend.(*gobackend.Backend), in, got, 1, shape)
			for i := range want {
				if !sameBits(got[i], want[i]) {
					t.Fatalf("%v axis 1: element %d: patched %g, generic %g", dims, i, got[i], want[i])
				}
			}
		}
	}
}

// TestSoftmaxFloat32FullPool runs the patched softmax inside the only worker
// of a one-worker pool: it must not wait for a second worker.
func TestSoftmaxFloat32FullPool(t *testing.T) {
	b, err := gobackend.New("parallelism=1")
	if err != nil {
		t.Fatal(err)
	}
	backend := b.(*gobackend.Backend)
	shape := shapes.Make(dtypes.Float32, 64, 2048)
	in := make([]float32, shape.Size())
	for i := range in {
		in[i] = float32(i%97) / 7
	}
	want, got := make([]float32, len(in)), make([]float32, len(in))
	fusedSoftmax(in, want, 1, shape, fastmath.Exp32)
	done := make(chan struct{})
	backend.Workers.WaitToStart(func() {
		fusedSoftmaxFloat32(backend, in, got, 1, shape)
		close(done)
	})
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("softmax inside a full pool did not finish in 30 s")
	}
	for i := range want {
		if !sameBits(got[i], want[i]) {
			t.Fatalf("element %d: %g, want %g", i, got[i], want[i])
		}
	}
}
