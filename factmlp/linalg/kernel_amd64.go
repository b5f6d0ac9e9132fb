//go:build !purego

package linalg

import "golang.org/x/sys/cpu"

func init() {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		kernels["avx2"] = asmKernel(kernelAVX2)
		kernel, kernelName = kernels["avx2"], "avx2"
	}
	if cpu.X86.HasAVX512F {
		kernels["avx512"] = asmKernel(kernelAVX512)
		kernel, kernelName = kernels["avx512"], "avx512"
		setKernels["avx512"] = asmKernel(kernelAVX512Set)
		setKernel = setKernels["avx512"]
	}
}

// kernelAVX512, kernelAVX512Set and kernelAVX2 are the kernels' bodies in kernel_amd64.s; kc ≥ 1.
//
//go:noescape
func kernelAVX512(kc int, ap, bp, c *float64, ldc int)

//go:noescape
func kernelAVX512Set(kc int, ap, bp, c *float64, ldc int)

//go:noescape
func kernelAVX2(kc int, ap, bp, c *float64, ldc int)

// asmKernel wraps an assembly body in kernel's slice signature.
func asmKernel(body func(kc int, ap, bp, c *float64, ldc int)) func(int, []float64, []float64, []float64, int) {
	return func(kc int, ap, bp, c []float64, ldc int) {
		if kc == 0 {
			return
		}
		// Bounds checks here stand in for the ones the assembly cannot make.
		_, _, _ = ap[kc*mr-1], bp[kc*nr-1], c[(mr-1)*ldc+nr-1]
		body(kc, &ap[0], &bp[0], &c[0], ldc)
	}
}
