//go:build !purego

package linalg

import "golang.org/x/sys/cpu"

func init() {
	if cpu.X86.HasAVX512F {
		sgemmTile = sgemm3x16AVX512
	}
}

// sgemm3x16AVX512 is sgemmTile's body in sgemm32_amd64.s.
//
//go:noescape
func sgemm3x16AVX512(n8, n4, n1 int, a *float32, lda int, bp, c *float32, ldc int)
