// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
//
// factmlp patch (third_party/compute/PATCH.md).

//go:build goexperiment.simd

package fusedops

import "simd/archsimd"

// hasVectorExp and vectorExp expose the 16-lane exp to the tests.
func hasVectorExp() bool { return archsimd.X86.AVX512() }

func vectorExp(xs, out []float32) {
	for i := 0; i+16 <= len(xs); i += 16 {
		expC.exp(archsimd.LoadFloat32x16Slice(xs[i:])).StoreSlice(out[i:])
	}
}
