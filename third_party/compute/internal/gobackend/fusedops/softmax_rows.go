// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
//
// factmlp patch (third_party/compute/PATCH.md): the float32 softmax over the
// last axis runs rows on the backend's workers and, where the CPU has it,
// on SIMD lanes, bit for bit as fusedSoftmax with fastmath.Exp32.

package fusedops

import (
	"math"
	"sync"
	"sync/atomic"

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
// go to softmaxRow32 in chunks; any other layout takes the generic loop.
// The calling goroutine works through the chunks itself and takes helpers
// only from the backend's free workers, never waiting for one: an op that
// waited for a worker while holding one could deadlock a full pool (as
// upstream's matmul Saturate does with two matmuls on a pool of two). Rows
// are independent, so the result does not depend on who ran which chunk.
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
	workers := backend.Workers.AdjustedMaxParallelism()
	// About two chunks per worker, each at least softmaxMinParallelChunk elements.
	rowsPerChunk = max(rowsPerChunk, outerSize/(2*workers))
	chunks := (outerSize + rowsPerChunk - 1) / rowsPerChunk
	var next atomic.Int64
	work := func() {
		for {
			c := int(next.Add(1)) - 1
			if c >= chunks {
				return
			}
			lo := c * rowsPerChunk
			softmaxRows(input, output, axisSize, lo, min(lo+rowsPerChunk, outerSize))
		}
	}
	var wg sync.WaitGroup
	for range min(workers, chunks) - 1 {
		wg.Add(1)
		if !backend.Workers.StartIfAvailable(func() { defer wg.Done(); work() }) {
			wg.Done()
			break
		}
	}
	work()
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
