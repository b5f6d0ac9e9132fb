// factmlp patch (see PATCH.md): the float32 small-matrix kernels with their
// accumulators in registers. Every output element goes through the same
// floating-point operations in the same order as upstream's
// avx512SmallFloat32 and avx512SmallFloat32Transposed, so outputs are
// upstream's bit for bit; only the loop order and the memory traffic change.

//go:build amd64 && goexperiment.simd

package matmul

import (
	"simd/archsimd"
	"unsafe"
)

// load16 is the 16 float32 at p.
func load16(p *float32) archsimd.Float32x16 {
	return archsimd.LoadFloat32x16((*[16]float32)(unsafe.Pointer(p)))
}

// avx512SmallFloat32Registers is avx512SmallFloat32 (layout
// NonTransposed: lhs [M, K], rhs [K, N], output [M, N] per batch item)
// with each output block's accumulators kept in registers across the
// contracting axis instead of being loaded and stored at every k.
//
// Per element, upstream computes FMA(l₀, r₀, +0), then FMA(l_k, r_k, acc)
// for k = 1…K−1 on 16-column vectors, and on the columns past the last
// full vector l₀·r₀ then acc + l_k·r_k with separate float32 roundings. The
// tail here runs those same separate products and sums on vector lanes
// (each lane's Mul and Add round as the scalar ones do), on a copy of the
// tail columns padded with zeros; the padding lanes are never stored.
func avx512SmallFloat32Registers(lhs, rhs []float32, batchStart, batchCount, M, N, K int, output []float32) {
	if batchCount == 0 || M == 0 || N == 0 || K == 0 {
		return
	}
	full := N &^ 15 // columns in full vectors
	tailW := N - full
	var tail []float32 // K × 16: rhs's tail columns, zero-padded
	if tailW > 0 {
		tail = make([]float32, K*16)
	}
	zero := archsimd.BroadcastFloat32x16(0)
	for b := batchStart; b < batchStart+batchCount; b++ {
		L := lhs[b*M*K : (b+1)*M*K]
		R := rhs[b*K*N : (b+1)*K*N]
		O := output[b*M*N : (b+1)*M*N]
		for k := 0; tailW > 0 && k < K; k++ {
			copy(tail[k*16:k*16+tailW], R[k*N+full:(k+1)*N])
		}
		row := 0
		for ; row+3 < M; row += 4 {
			l0, l1, l2, l3 := L[row*K:], L[(row+1)*K:], L[(row+2)*K:], L[(row+3)*K:]
			col := 0
			for ; col+32 <= N; col += 32 {
				o00, o01, o10, o11 := zero, zero, zero, zero
				o20, o21, o30, o31 := zero, zero, zero, zero
				for k := 0; k < K; k++ {
					r0, r1 := load16(&R[k*N+col]), load16(&R[k*N+col+16])
					b0 := archsimd.BroadcastFloat32x16(l0[k])
					b1 := archsimd.BroadcastFloat32x16(l1[k])
					b2 := archsimd.BroadcastFloat32x16(l2[k])
					b3 := archsimd.BroadcastFloat32x16(l3[k])
					o00, o01 = b0.MulAdd(r0, o00), b0.MulAdd(r1, o01)
					o10, o11 = b1.MulAdd(r0, o10), b1.MulAdd(r1, o11)
					o20, o21 = b2.MulAdd(r0, o20), b2.MulAdd(r1, o21)
					o30, o31 = b3.MulAdd(r0, o30), b3.MulAdd(r1, o31)
				}
				store2(O, row*N+col, o00, o01)
				store2(O, (row+1)*N+col, o10, o11)
				store2(O, (row+2)*N+col, o20, o21)
				store2(O, (row+3)*N+col, o30, o31)
			}
			for ; col+16 <= N; col += 16 {
				o0, o1, o2, o3 := zero, zero, zero, zero
				for k := 0; k < K; k++ {
					r := load16(&R[k*N+col])
					o0 = archsimd.BroadcastFloat32x16(l0[k]).MulAdd(r, o0)
					o1 = archsimd.BroadcastFloat32x16(l1[k]).MulAdd(r, o1)
					o2 = archsimd.BroadcastFloat32x16(l2[k]).MulAdd(r, o2)
					o3 = archsimd.BroadcastFloat32x16(l3[k]).MulAdd(r, o3)
				}
				o0.Store((*[16]float32)(unsafe.Pointer(&O[row*N+col])))
				o1.Store((*[16]float32)(unsafe.Pointer(&O[(row+1)*N+col])))
				o2.Store((*[16]float32)(unsafe.Pointer(&O[(row+2)*N+col])))
				o3.Store((*[16]float32)(unsafe.Pointer(&O[(row+3)*N+col])))
			}
			if tailW > 0 {
				r := load16(&tail[0])
				o0 := archsimd.BroadcastFloat32x16(l0[0]).Mul(r)
				o1 := archsimd.BroadcastFloat32x16(l1[0]).Mul(r)
				o2 := archsimd.BroadcastFloat32x16(l2[0]).Mul(r)
				o3 := archsimd.BroadcastFloat32x16(l3[0]).Mul(r)
				for k := 1; k < K; k++ {
					r := load16(&tail[k*16])
					o0 = o0.Add(archsimd.BroadcastFloat32x16(l0[k]).Mul(r))
					o1 = o1.Add(archsimd.BroadcastFloat32x16(l1[k]).Mul(r))
					o2 = o2.Add(archsimd.BroadcastFloat32x16(l2[k]).Mul(r))
					o3 = o3.Add(archsimd.BroadcastFloat32x16(l3[k]).Mul(r))
				}
				storePart(O[row*N+full:row*N+N], o0)
				storePart(O[(row+1)*N+full:(row+1)*N+N], o1)
				storePart(O[(row+2)*N+full:(row+2)*N+N], o2)
				storePart(O[(row+3)*N+full:(row+3)*N+N], o3)
			}
		}
		for ; row < M; row++ {
			l0 := L[row*K:]
			col := 0
			for ; col+16 <= N; col += 16 {
				o0 := zero
				for k := 0; k < K; k++ {
					o0 = archsimd.BroadcastFloat32x16(l0[k]).MulAdd(load16(&R[k*N+col]), o0)
				}
				o0.Store((*[16]float32)(unsafe.Pointer(&O[row*N+col])))
			}
			if tailW > 0 {
				o0 := archsimd.BroadcastFloat32x16(l0[0]).Mul(load16(&tail[0]))
				for k := 1; k < K; k++ {
					o0 = o0.Add(archsimd.BroadcastFloat32x16(l0[k]).Mul(load16(&tail[k*16])))
				}
				storePart(O[row*N+full:row*N+N], o0)
			}
		}
	}
}

// store2 stores two vectors at O[i:i+32].
func store2(O []float32, i int, a, b archsimd.Float32x16) {
	a.Store((*[16]float32)(unsafe.Pointer(&O[i])))
	b.Store((*[16]float32)(unsafe.Pointer(&O[i+16])))
}

// storePart stores the first len(dst) (< 16) lanes of v.
func storePart(dst []float32, v archsimd.Float32x16) {
	var buf [16]float32
	v.Store(&buf)
	copy(dst, buf[:len(dst)])
}

// avx512SmallFloat32TransposedRegisters is avx512SmallFloat32Transposed
// (layout Transposed: lhs [M, K], rhs [N, K], output [M, N] per batch
// item) computing four output columns at once: four independent
// accumulator chains instead of one, so the FMAs' latency overlaps. Per
// element the operations are upstream's: one 16-lane FMA chain over the
// full vectors of k in order, avx512ReduceSumFloat32x16, then the scalar
// tail res += l·r in order.
func avx512SmallFloat32TransposedRegisters(lhs, rhs []float32, batchStart, batchCount, M, N, K int, output []float32) {
	if batchCount == 0 || M == 0 || N == 0 || K == 0 {
		return
	}
	kFull := K &^ 15
	zero := archsimd.BroadcastFloat32x16(0)
	for b := batchStart; b < batchStart+batchCount; b++ {
		L := lhs[b*M*K : (b+1)*M*K]
		R := rhs[b*N*K : (b+1)*N*K]
		O := output[b*M*N : (b+1)*M*N]
		for row := 0; row < M; row++ {
			l := L[row*K : (row+1)*K]
			col := 0
			for ; col+3 < N; col += 4 {
				r0, r1, r2, r3 := R[col*K:(col+1)*K], R[(col+1)*K:(col+2)*K], R[(col+2)*K:(col+3)*K], R[(col+3)*K:(col+4)*K]
				a0, a1, a2, a3 := zero, zero, zero, zero
				for k := 0; k < kFull; k += 16 {
					lv := load16(&l[k])
					a0 = lv.MulAdd(load16(&r0[k]), a0)
					a1 = lv.MulAdd(load16(&r1[k]), a1)
					a2 = lv.MulAdd(load16(&r2[k]), a2)
					a3 = lv.MulAdd(load16(&r3[k]), a3)
				}
				s0, s1 := avx512ReduceSumFloat32x16(a0), avx512ReduceSumFloat32x16(a1)
				s2, s3 := avx512ReduceSumFloat32x16(a2), avx512ReduceSumFloat32x16(a3)
				for k := kFull; k < K; k++ {
					s0 += l[k] * r0[k]
					s1 += l[k] * r1[k]
					s2 += l[k] * r2[k]
					s3 += l[k] * r3[k]
				}
				O[row*N+col], O[row*N+col+1], O[row*N+col+2], O[row*N+col+3] = s0, s1, s2, s3
			}
			for ; col < N; col++ {
				r := R[col*K : (col+1)*K]
				a := zero
				for k := 0; k < kFull; k += 16 {
					a = load16(&l[k]).MulAdd(load16(&r[k]), a)
				}
				s := avx512ReduceSumFloat32x16(a)
				for k := kFull; k < K; k++ {
					s += l[k] * r[k]
				}
				O[row*N+col] = s
			}
		}
	}
}
