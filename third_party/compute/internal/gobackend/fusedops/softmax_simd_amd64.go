// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
//
// factmlp patch (third_party/compute/PATCH.md).

//go:build goexperiment.simd

package fusedops

import (
	"simd/archsimd"

	"github.com/gomlx/compute/internal/fastmath"
)

func init() {
	if archsimd.X86.AVX512() {
		softmaxRow32 = softmaxRowAVX512
	}
}

// softmaxRowAVX512 is softmaxRowScalar with the max, the exp and the scaling
// on 16 lanes. Every lane runs fastmath.Exp32's operations in its order and
// precision (the n = ⌊x·log₂e + ½⌋ in float64, no fused multiply-adds), and
// the sum stays one sequential float32 sum, so the row is the scalar row bit
// for bit (exp32x16's test checks every float32 input ≤ 0 … and more).
func softmaxRowAVX512(x, y []float32) {
	n := len(x)
	full := n &^ 15
	m := archsimd.BroadcastFloat32x16(negInf32)
	for i := 0; i < full; i += 16 {
		m = m.Max(archsimd.LoadFloat32x16Slice(x[i:]))
	}
	var lanes [16]float32
	m.StoreSlice(lanes[:])
	maxVal := negInf32
	for _, v := range lanes {
		if v > maxVal {
			maxVal = v
		}
	}
	for _, v := range x[full:] {
		if v > maxVal {
			maxVal = v
		}
	}
	mv := archsimd.BroadcastFloat32x16(maxVal)
	for i := 0; i < full; i += 16 {
		exp32x16(archsimd.LoadFloat32x16Slice(x[i:]).Sub(mv)).StoreSlice(y[i:])
	}
	for i := full; i < n; i++ {
		y[i] = fastmath.Exp32(x[i] - maxVal)
	}
	var sum float32
	for _, v := range y {
		sum += v
	}
	invSum := 1.0 / sum
	inv := archsimd.BroadcastFloat32x16(invSum)
	for i := 0; i < full; i += 16 {
		archsimd.LoadFloat32x16Slice(y[i:]).Mul(inv).StoreSlice(y[i:])
	}
	for i := full; i < n; i++ {
		y[i] *= invSum
	}
}

// exp32x16 is fastmath.Exp32 on 16 lanes, operation for operation.
func exp32x16(x archsimd.Float32x16) archsimd.Float32x16 {
	const (
		maxNumF = 1.7014117331926442990585209174225846272e38
		maxLogF = 88.02969187150841
		minLogF = -88.02969187150841
		log2E   = 1.44269504088896341
		ln2Hi   = 0.693359375
		ln2Lo   = -2.12194440e-4
		p7      = 1.9875691500e-4
		p6      = 1.3981999507e-3
		p5      = 8.3334519073e-3
		p4      = 4.1665795894e-2
		p3      = 1.6666665459e-1
		p2      = 5.0000001201e-1
	)
	b := archsimd.BroadcastFloat32x16
	// z = float32(floor(float64(x)·log₂e + 0.5)), in float64 as the scalar code.
	l2e, half := archsimd.BroadcastFloat64x8(log2E), archsimd.BroadcastFloat64x8(0.5)
	zlo := x.GetLo().ConvertToFloat64().Mul(l2e).Add(half).FloorScaled(0).ConvertToFloat32()
	zhi := x.GetHi().ConvertToFloat64().Mul(l2e).Add(half).FloorScaled(0).ConvertToFloat32()
	var z archsimd.Float32x16
	z = z.SetLo(zlo).SetHi(zhi)
	g := x.Sub(z.Mul(b(ln2Hi))).Sub(z.Mul(b(ln2Lo)))
	scale := z.ConvertToInt32().Add(archsimd.BroadcastInt32x16(127)).ShiftAllLeft(23).AsFloat32x16()
	p := b(p7).Mul(g).Add(b(p6)).Mul(g).Add(b(p5)).Mul(g).Add(b(p4)).Mul(g).Add(b(p3)).Mul(g).Add(b(p2))
	e := scale.Mul(p.Mul(g.Mul(g)).Add(g).Add(b(1)))
	e = b(maxNumF).Merge(e, x.Greater(b(maxLogF)))
	return b(0).Merge(e, x.Less(b(minLogF)))
}

// hasVectorExp and vectorExp expose exp32x16 to the tests.
func hasVectorExp() bool { return archsimd.X86.AVX512() }

func vectorExp(xs, out []float32) {
	for i := 0; i+16 <= len(xs); i += 16 {
		exp32x16(archsimd.LoadFloat32x16Slice(xs[i:])).StoreSlice(out[i:])
	}
}
