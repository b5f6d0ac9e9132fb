package linalg

import (
	"fmt"
	"syscall"
	"testing"

	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// BenchmarkCholesky factors random SPD matrices with this package and with
// gonum's lapack64.Potrf; GFLOP/s counts n³/3 flops per factorization,
// GFLOP/cpu-s divides by the process's CPU time (what it costs on a shared
// machine).
func BenchmarkCholesky(b *testing.B) {
	for _, n := range []int{1024, 4096} {
		a := randomGram(n, 1)
		work := mat.NewSymDense(n, nil)
		for _, impl := range []string{"linalg", "gonum"} {
			if impl == "gonum" && n > 1024 && testing.Short() {
				continue
			}
			b.Run(fmt.Sprintf("%s/n=%d", impl, n), func(b *testing.B) {
				var cpu float64
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					work.CopySym(a)
					c0 := processCPU()
					b.StartTimer()
					if impl == "linalg" {
						if _, err := Cholesky(work.RawSymmetric()); err != nil {
							b.Fatal(err)
						}
					} else if _, ok := lapack64.Potrf(work.RawSymmetric()); !ok {
						b.Fatal("gonum Potrf failed")
					}
					b.StopTimer()
					cpu += processCPU() - c0
				}
				flop := float64(n) * float64(n) * float64(n) / 3 * float64(b.N)
				b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				b.ReportMetric(flop/cpu/1e9, "GFLOP/cpu-s")
			})
		}
	}
}

// processCPU is the process's user+system CPU time in seconds.
func processCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
