package linalg

// The register tile of the matrix-multiply kernel: mr rows × nr columns of
// the output, accumulated over the packed panels ap (k-major, mr values per
// k) and bp (k-major, nr values per k).
const (
	mr = 8
	nr = 24
)

// kernel is the fastest microkernel this CPU and build support; kernelName
// says which (for benchmarks and reports).
var (
	kernel     = kernelGeneric
	kernelName = "generic"
	// kernels holds every kernel this CPU can run, for the tests.
	kernels = map[string]func(kc int, ap, bp, c []float64, ldc int){"generic": kernelGeneric}
)

// setKernel stores a tile's sums in c instead of adding them to it: what an
// overwriting product (Mul, MulPacked) runs on its first depth block, so c
// needs no clearing beforehand. Its values are kernel's on a cleared tile.
var (
	setKernel  = clearThenKernel
	setKernels = map[string]func(kc int, ap, bp, c []float64, ldc int){}
)

// clearThenKernel is setKernel where no kernel of its own exists.
func clearThenKernel(kc int, ap, bp, c []float64, ldc int) {
	for r := 0; r < mr; r++ {
		clear(c[r*ldc : r*ldc+nr])
	}
	kernel(kc, ap, bp, c, ldc)
}

// kernelGeneric is the portable microkernel: 4-column strips of scalar
// accumulators, which the compiler keeps in registers.
func kernelGeneric(kc int, ap, bp, c []float64, ldc int) {
	ap = ap[:kc*mr]
	bp = bp[:kc*nr]
	for r := 0; r < mr; r += 2 {
		for j := 0; j < nr; j += 4 {
			var s00, s01, s02, s03, s10, s11, s12, s13 float64
			for k := 0; k < kc; k++ {
				a0, a1 := ap[k*mr+r], ap[k*mr+r+1]
				b := bp[k*nr+j : k*nr+j+4 : k*nr+j+4]
				s00 += a0 * b[0]
				s01 += a0 * b[1]
				s02 += a0 * b[2]
				s03 += a0 * b[3]
				s10 += a1 * b[0]
				s11 += a1 * b[1]
				s12 += a1 * b[2]
				s13 += a1 * b[3]
			}
			c0 := c[r*ldc+j : r*ldc+j+4 : r*ldc+j+4]
			c1 := c[(r+1)*ldc+j : (r+1)*ldc+j+4 : (r+1)*ldc+j+4]
			c0[0] += s00
			c0[1] += s01
			c0[2] += s02
			c0[3] += s03
			c1[0] += s10
			c1[1] += s11
			c1[2] += s12
			c1[3] += s13
		}
	}
}
