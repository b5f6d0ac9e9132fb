//go:build goexperiment.simd

package softmax

import (
	"math"
	"simd/archsimd"
)

// Vector is Scalar with the exp, max, sum and scaling on 16 lanes; n must
// be a multiple of 16. It needs AVX-512 (archsimd.X86.AVX512()).
func Vector(in, out []float32, n int) {
	b := archsimd.BroadcastFloat32x16
	log2E, ln2Hi, ln2Lo := b(1.44269504088896341), b(0.693359375), b(-2.12194440e-4)
	p7, p6, p5, p4, p3, p2 := b(1.9875691500e-4), b(1.3981999507e-3), b(8.3334519073e-3), b(4.1665795894e-2), b(1.6666665459e-1), b(5.0000001201e-1)
	one, floor := b(1), b(-87)
	bias := archsimd.BroadcastInt32x16(127)
	var lanes [16]float32
	for r := 0; r+n <= len(in); r += n {
		x, y := in[r:r+n], out[r:r+n]
		m := b(float32(math.Inf(-1)))
		for i := 0; i < n; i += 16 {
			m = m.Max(archsimd.LoadFloat32x16Slice(x[i:]))
		}
		m.StoreSlice(lanes[:])
		mx := lanes[0]
		for _, v := range lanes[1:] {
			mx = max(mx, v)
		}
		mv, sum := b(mx), b(0)
		for i := 0; i < n; i += 16 {
			v := archsimd.LoadFloat32x16Slice(x[i:]).Sub(mv).Max(floor)
			z := v.Mul(log2E).RoundToEvenScaled(0)
			g := v.Sub(z.Mul(ln2Hi)).Sub(z.Mul(ln2Lo))
			p := p7.MulAdd(g, p6).MulAdd(g, p5).MulAdd(g, p4).MulAdd(g, p3).MulAdd(g, p2)
			e := p.Mul(g.Mul(g)).Add(g).Add(one).Mul(z.ConvertToInt32().Add(bias).ShiftAllLeft(23).AsFloat32x16())
			e.StoreSlice(y[i:])
			sum = sum.Add(e)
		}
		sum.StoreSlice(lanes[:])
		var s float32
		for _, v := range lanes {
			s += v
		}
		inv := b(1 / s)
		for i := 0; i < n; i += 16 {
			archsimd.LoadFloat32x16Slice(y[i:]).Mul(inv).StoreSlice(y[i:])
		}
	}
}
