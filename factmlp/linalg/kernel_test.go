package linalg

import (
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
)

func BenchmarkKernel(b *testing.B) {
	const kc = 256
	r := rand.New(rand.NewPCG(1, 2))
	ap, bp := make([]float64, kc*mr), make([]float64, kc*nr)
	for i := range ap {
		ap[i] = r.NormFloat64()
	}
	for i := range bp {
		bp[i] = r.NormFloat64()
	}
	c := make([]float64, mr*nr)
	for name, f := range kernels {
		b.Run(name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			t0 := threadCPU()
			for i := 0; i < b.N; i++ {
				f(kc, ap, bp, c, nr)
			}
			flop := float64(2*kc*mr*nr) * float64(b.N)
			b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			b.ReportMetric(flop/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
		})
	}
}

// threadCPU is the calling thread's CPU time in seconds: what a kernel costs
// regardless of how many other processes share the cores.
func threadCPU() float64 {
	var ru syscall.Rusage
	const rusageThread = 1
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
