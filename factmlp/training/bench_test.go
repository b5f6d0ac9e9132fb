package training

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// benchStep times one optimiser step with the shapes of STACK.md: F = 2048
// tied spherical facts, d = 64, h = 512, CE over all 2048 values, full batch.
func benchStep(b *testing.B, naive bool, stepsPerCall int) {
	benchStepAt(b, 2048, 64, 512, naive, stepsPerCall)
}

// benchStepAt times one optimiser step on F tied spherical facts in ℝ^d
// with hidden width h.
func benchStepAt(b *testing.B, F, d, h int, naive bool, stepsPerCall int) {
	benchStepMany(b, F, d, h, 1, naive, stepsPerCall)
}

// benchStepMany times one optimiser step of K models trained side by side
// (TrainMany), each on its own F tied spherical facts in ℝ^d with hidden
// width h; it reports the time per step of all K and, for K > 1, per model.
func benchStepMany(b *testing.B, F, d, h, K int, naive bool, stepsPerCall int) {
	ps, ws, seeds := make([]*problem, K), make([]*weights, K), make([]uint64, K)
	for k := range K {
		fs := tiedSet(F, d, 7+uint64(k))
		ps[k] = newProblem(fs.Keys, fs.Values, fs.Targets(), fs.Map)
		ws[k] = initWeights(h, d, d, false, rng.Derive(1+uint64(k), "init"))
		seeds[k] = 1 + uint64(k)
	}
	opts := Options{Hidden: h, Act: mlp.Identity, StepsPerCall: stepsPerCall, naive: naive}.withDefaults()
	tr, err := newTrainer(ps, opts, ws, seeds)
	if err != nil {
		b.Fatal(err)
	}
	defer tr.close()
	if err := tr.call(1 << 20); err != nil { // compile and warm up
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := tr.call(1 << 20); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	steps := float64(b.N * tr.steps)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/steps, "ms/step")
	// CPU time is what the step costs regardless of other load on a shared
	// machine; on 2 idle cores the wall time is at least half of it.
	b.ReportMetric((cpuTime()-cpu0)/steps, "cpu-ms/step")
	if K > 1 {
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/steps/float64(K), "ms/model-step")
	}
}

// The capacity-search shape with K models in one graph (TrainMany), 4
// steps per call.
func BenchmarkStepSmallMany(b *testing.B) {
	for _, K := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("K=%d", K), func(b *testing.B) { benchStepMany(b, 512, 32, 20, K, false, 4) })
	}
}

// The hand-written graph (fused softmax, no one-hot, no log-softmax).
func BenchmarkStep(b *testing.B) { benchStep(b, false, 1) }

// The capacity-search shape of issue #14: F = 512, d = 32, h = 20, with the
// steps per call the trainer picks.
func BenchmarkStepSmall(b *testing.B) { benchStepAt(b, 512, 32, 20, false, 0) }

// The same with 4 steps compiled into one call.
func BenchmarkStep4PerCall(b *testing.B) { benchStep(b, false, 4) }

// The naive baseline: LogSoftmax · one-hot, autodiff.
func BenchmarkStepNaive(b *testing.B) { benchStep(b, true, 1) }

// cpuTime is the process's user+system CPU time in milliseconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}
