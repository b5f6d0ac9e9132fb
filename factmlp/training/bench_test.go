package training

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// benchStep times one optimiser step with the shapes of STACK.md: F = 2048
// tied spherical facts, d = 64, h = 512, CE over all 2048 values, full batch.
func benchStep(b *testing.B, naive bool, stepsPerCall int) {
	fs := tiedSet(2048, 64, 7)
	p := newProblem(fs.Keys, fs.Values, fs.Targets(), fs.Map)
	opts := Options{Hidden: 512, Act: mlp.Identity, StepsPerCall: stepsPerCall, naive: naive}.withDefaults()
	w := initWeights(512, 64, 64, false, rng.Derive(1, "init"))
	tr, err := newTrainer(p, opts, w)
	if err != nil {
		b.Fatal(err)
	}
	defer tr.close()
	if err := tr.call(1 << 20); err != nil { // compile and warm up
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := tr.call(1 << 20); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*tr.steps), "ms/step")
}

// The hand-written graph (fused softmax, no one-hot, no log-softmax).
func BenchmarkStep(b *testing.B) { benchStep(b, false, 1) }

// The same with 4 steps compiled into one call.
func BenchmarkStep4PerCall(b *testing.B) { benchStep(b, false, 4) }

// The naive baseline: LogSoftmax · one-hot, autodiff.
func BenchmarkStepNaive(b *testing.B) { benchStep(b, true, 1) }
