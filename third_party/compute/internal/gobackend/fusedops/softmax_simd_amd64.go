// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
//
// factmlp patch (third_party/compute/PATCH.md).

//go:build goexperiment.simd

package fusedops

import (
	"simd/archsimd"

	"github.com/gomlx/compute/internal/fastmath"
)

// expC holds the exp's constants on 16 lanes, broadcast once (only on a CPU
// with AVX-512).
var expC *expConsts

func init() {
	if archsimd.X86.AVX512() {
		expC = newExpConsts()
		softmaxRow32 = softmaxRowAVX512
	}
}

// softmaxRowAVX512 is softmaxRowScalar with the max, the exp and the scaling
// on 16 lanes. Every lane runs fastmath.Exp32's operations in its order and
// precision (n = ⌊x·log₂e + ½⌋ in float64, no fused multiply-adds), and the
// exps are summed one by one in index order as the scalar loop does (inside
// the vector loop, where the sum's dependency chain overlaps the next
// vector's exp), so the row is the scalar row bit for bit.
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
	c := expC
	mv := archsimd.BroadcastFloat32x16(maxVal)
	var sum float32
	for i := 0; i < full; i += 16 {
		c.exp(archsimd.LoadFloat32x16Slice(x[i:]).Sub(mv)).StoreSlice(y[i:])
		for _, v := range y[i : i+16] {
			sum += v
		}
	}
	for i := full; i < n; i++ {
		y[i] = fastmath.Exp32(x[i] - maxVal)
		sum += y[i]
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

// expConsts holds fastmath.Exp32's constants on 16 lanes (8 for the float64
// ones).
type expConsts struct {
	maxNumF, maxLogF, minLogF, ln2Hi, ln2Lo, p7, p6, p5, p4, p3, p2, one, zero archsimd.Float32x16
	log2E, half                                                                archsimd.Float64x8
	bias                                                                       archsimd.Int32x16
}

func newExpConsts() *expConsts {
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
	return &expConsts{maxNumF: b(maxNumF), maxLogF: b(maxLogF), minLogF: b(minLogF), ln2Hi: b(ln2Hi), ln2Lo: b(ln2Lo),
		p7: b(p7), p6: b(p6), p5: b(p5), p4: b(p4), p3: b(p3), p2: b(p2), one: b(1), zero: b(0),
		log2E: archsimd.BroadcastFloat64x8(log2E), half: archsimd.BroadcastFloat64x8(0.5), bias: archsimd.BroadcastInt32x16(127)}
}

// exp is fastmath.Exp32 on 16 lanes, operation for operation.
func (c *expConsts) exp(x archsimd.Float32x16) archsimd.Float32x16 {
	// z = float32(floor(float64(x)·log₂e + 0.5)), in float64 as the scalar code.
	zlo := x.GetLo().ConvertToFloat64().Mul(c.log2E).Add(c.half).FloorScaled(0).ConvertToFloat32()
	zhi := x.GetHi().ConvertToFloat64().Mul(c.log2E).Add(c.half).FloorScaled(0).ConvertToFloat32()
	var z archsimd.Float32x16
	z = z.SetLo(zlo).SetHi(zhi)
	g := x.Sub(z.Mul(c.ln2Hi)).Sub(z.Mul(c.ln2Lo))
	scale := z.ConvertToInt32().Add(c.bias).ShiftAllLeft(23).AsFloat32x16()
	p := c.p7.Mul(g).Add(c.p6).Mul(g).Add(c.p5).Mul(g).Add(c.p4).Mul(g).Add(c.p3).Mul(g).Add(c.p2)
	e := scale.Mul(p.Mul(g.Mul(g)).Add(g).Add(c.one))
	e = c.maxNumF.Merge(e, x.Greater(c.maxLogF))
	return c.zero.Merge(e, x.Less(c.minLogF))
}
