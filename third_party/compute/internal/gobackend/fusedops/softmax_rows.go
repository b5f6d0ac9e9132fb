// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
//
// factmlp patch (third_party/compute/PATCH.md): the float32 softmax over the
// last axis runs rows on the backend's workers and, where the CPU has it,
// on SIMD lanes, bit for bit as fusedSoftmax with fastmath.Exp32.

package fusedops

import (
	"math"
	"sync"

	"github.com/gomlx/compute/internal/fastmath"
	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/shapes"
)

var negInf32 = float32(math.Inf(-1))

// softmaxRow32 computes one row's softmax; softmax_simd_amd64.go replaces it
// with a vectorised version when the CPU has AVX-512.
var softmaxRow32 = softmaxRowScalar

// softmaxMinParallelChunk is the fewest elements a worker gets.
const softmaxMinParallelChunk = 1 << 15

// fusedSoftmaxFloat32 is fusedSoftmax for float32: rows (the axis innermost)
// go to softmaxRow32 in chunks on the backend's workers; any other layout
// takes the generic loop. Rows are independent, so the result does not depend
// on the chunking.
func fusedSoftmaxFloat32(backend *gobackend.Backend, input, output []float32, axis int, shape shapes.Shape) {
	outerSize, axisSize, innerSize := fusedSoftmaxComputeAxisStrides(shape, axis)
	if innerSize != 1 || axisSize == 0 {
		fusedSoftmax(input, output, axis, shape, fastmath.Exp32)
		return
	}
	rowsPerChunk := max(1, softmaxMinParallelChunk/axisSize)
	if backend == nil || !backend.Workers.IsEnabled() || outerSize <= rowsPerChunk {
		softmaxRows(input, output, axisSize, 0, outerSize)
		return
	}
	// About two chunks per worker, each at least softmaxMinParallelChunk elements.
	rowsPerChunk = max(rowsPerChunk, outerSize/(2*backend.Workers.AdjustedMaxParallelism()))
	var wg sync.WaitGroup
	for lo := 0; lo < outerSize; lo += rowsPerChunk {
		hi := min(lo+rowsPerChunk, outerSize)
		wg.Add(1)
		backend.Workers.WaitToStart(func() {
			softmaxRows(input, output, axisSize, lo, hi)
			wg.Done()
		})
	}
	wg.Wait()
}

// softmaxRows runs softmaxRow32 on rows lo…hi−1 of n elements each.
func softmaxRows(input, output []float32, n, lo, hi int) {
	for r := lo; r < hi; r++ {
		softmaxRow32(input[r*n:(r+1)*n], output[r*n:(r+1)*n])
	}
}

// softmaxRowScalar is fusedSoftmax's three passes on one row.
func softmaxRowScalar(x, y []float32) {
	maxVal := negInf32
	for _, v := range x {
		if v > maxVal {
			maxVal = v
		}
	}
	var sum float32
	for i, v := range x {
		y[i] = fastmath.Exp32(v - maxVal)
		sum += y[i]
	}
	invSum := 1.0 / sum
	for i := range y {
		y[i] *= invSum
	}
}
