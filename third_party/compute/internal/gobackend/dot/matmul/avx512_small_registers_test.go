// factmlp patch (third_party/compute/PATCH.md).

//go:build amd64 && goexperiment.simd

package matmul

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// smallShapes covers the row blocks of 4 and their remainder, the column
// blocks of 32 and 16 and every tail width, and contracting sizes below,
// at and past the vector width.
func smallShapes() (ms, ns, ks []int) {
	for i := 1; i <= 9; i++ {
		ms = append(ms, i)
	}
	for i := 1; i <= 40; i++ {
		ns = append(ns, i)
	}
	ns = append(ns, 47, 64, 65)
	for i := 1; i <= 20; i++ {
		ks = append(ks, i)
	}
	ks = append(ks, 31, 32, 33, 63, 64, 65, 70, 512)
	return ms, ns, ks
}

// randomFloats draws values of mixed signs and magnitudes, with exact
// zeros of both signs, so products and sums round in every way.
func randomFloats(n int, r *rand.Rand) []float32 {
	x := make([]float32, n)
	for i := range x {
		switch r.IntN(16) {
		case 0:
			x[i] = 0
		case 1:
			x[i] = float32(math.Copysign(0, -1))
		default:
			x[i] = float32(r.NormFloat64() * math.Pow(2, float64(r.IntN(20)-10)))
		}
	}
	return x
}

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d is %g (%#08x), upstream's %g (%#08x)", what, i,
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

// The register kernels must give upstream's outputs bit for bit, on every
// shape class and over several batch items (checked from a batch offset).
func TestSmallRegistersMatchUpstream(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewPCG(1, 2))
	ms, ns, ks := smallShapes()
	cases := 0
	for _, M := range ms {
		for _, N := range ns {
			for _, K := range ks {
				if K == 512 && (M > 4 || N > 20) {
					continue
				}
				const batch = 3
				lhs, rhs := randomFloats(batch*M*K, r), randomFloats(batch*K*N, r)
				for _, start := range []int{0, 1} {
					count := batch - start
					want, got := randomFloats(batch*M*N, r), make([]float32, batch*M*N)
					copy(got, want) // the items before start must stay untouched
					avx512SmallFloat32(lhs, rhs, start, count, M, N, K, want)
					avx512SmallFloat32Registers(lhs, rhs, start, count, M, N, K, got)
					sameBits(t, "non-transposed", got, want)
					copy(got, want)
					avx512SmallFloat32Transposed(lhs, rhs, start, count, M, N, K, want)
					avx512SmallFloat32TransposedRegisters(lhs, rhs, start, count, M, N, K, got)
					sameBits(t, "transposed", got, want)
					cases++
				}
			}
		}
	}
	t.Logf("%d shape and batch cases, both layouts, bit for bit", cases)
}

func benchSmall(b *testing.B, kernel func(lhs, rhs []float32, batchStart, batchCount, M, N, K int, out []float32), M, N, K int) {
	r := rand.New(rand.NewPCG(3, 4))
	lhs, rhs, out := randomFloats(M*K, r), randomFloats(K*N, r), make([]float32, M*N)
	b.ResetTimer()
	for range b.N {
		kernel(lhs, rhs, 0, 1, M, N, K, out)
	}
	b.ReportMetric(float64(2*M*N*K)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// The GD step's small products at F = 512, d = 32, h = 20: X·gate (512×32
// by 32×20), hidden·downᵀ (transposed, 512×20 by 32×20), Xᵀ·dPre (32×512 by
// 512×20).
func BenchmarkSmallUpstream(b *testing.B) {
	b.Run("XGate", func(b *testing.B) { benchSmall(b, avx512SmallFloat32, 512, 20, 32) })
	b.Run("HiddenDownT", func(b *testing.B) { benchSmall(b, avx512SmallFloat32Transposed, 512, 32, 20) })
	b.Run("XtDPre", func(b *testing.B) { benchSmall(b, avx512SmallFloat32, 32, 20, 512) })
}

func BenchmarkSmallRegisters(b *testing.B) {
	b.Run("XGate", func(b *testing.B) { benchSmall(b, avx512SmallFloat32Registers, 512, 20, 32) })
	b.Run("HiddenDownT", func(b *testing.B) { benchSmall(b, avx512SmallFloat32TransposedRegisters, 512, 32, 20) })
	b.Run("XtDPre", func(b *testing.B) { benchSmall(b, avx512SmallFloat32Registers, 32, 20, 512) })
}
