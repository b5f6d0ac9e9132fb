package geometry

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
)

// cpuTime is the process's user+system CPU time. Benchmarks report it as
// cpu-s/op next to wall time: on a shared machine wall time depends on the
// load, CPU time much less (wall on 2 idle cores ≈ cpu-s/op / 2).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchRho(b *testing.B, spec factset.Spec) {
	fs, err := spec.Generate()
	if err != nil {
		b.Fatal(err)
	}
	c0 := cpuTime()
	for b.Loop() {
		if _, err := Decodability(fs.Values, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkDecodability measures ρ(V) with all separators, d = 64 (issue 3
// target: spherical |V| = 2048 in ≤ 2 s on 2 cores).
func BenchmarkDecodability(b *testing.B) {
	for _, n := range []int{256, 1024, 2048, 4096} {
		b.Run(fmt.Sprintf("spherical/n=%d/d=64", n), func(b *testing.B) {
			benchRho(b, factset.Spec{Family: "spherical", N: n, Dim: 64, Seed: 1})
		})
	}
	b.Run("conditioned-k100/n=2048/d=64", func(b *testing.B) {
		benchRho(b, factset.Spec{Family: "conditioned", N: 2048, Dim: 64, Kappa: 100, Seed: 1})
	})
	b.Run("conditioned-k100/n=2048/d=8", func(b *testing.B) {
		benchRho(b, factset.Spec{Family: "conditioned", N: 2048, Dim: 8, Kappa: 100, Seed: 1})
	})
}
