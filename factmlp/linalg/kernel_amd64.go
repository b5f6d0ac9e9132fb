//go:build !purego

package linalg

import "golang.org/x/sys/cpu"

func init() {
	if cpu.X86.HasAVX512F {
		kernel, kernelName = kernelAVX512Slices, "avx512"
	}
}

// kernelAVX512 is kernel's AVX-512 body (kernel_amd64.s); kc ≥ 1.
//
//go:noescape
func kernelAVX512(kc int, ap, bp, c *float64, ldc int)

func kernelAVX512Slices(kc int, ap, bp, c []float64, ldc int) {
	if kc == 0 {
		return
	}
	// Bounds checks here stand in for the ones the assembly cannot make.
	_, _, _ = ap[kc*mr-1], bp[kc*nr-1], c[(mr-1)*ldc+nr-1]
	kernelAVX512(kc, &ap[0], &bp[0], &c[0], ldc)
}
