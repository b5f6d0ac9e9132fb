package transformer

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// BenchmarkTrainStep measures SSFR training throughput (F=256, d=64, batch
// 256, default encdec MLP): reported as sequences per second.
func BenchmarkTrainStep(b *testing.B) {
	F, d := 256, 64
	fs := factset.NewTied(factset.Spherical(F, d, rng.New(1)), rng.New(2))
	g := encdec(b, fs, 3)
	m, err := New(Config{Task: DefaultTask(F), Seed: 4}, fs, g)
	if err != nil {
		b.Fatal(err)
	}
	opt := DefaultTrainOptions()
	opt.Steps, opt.StopAccuracy = 5, 0
	if _, err := Train(m, fs.Map, opt); err != nil { // warm up the backend
		b.Fatal(err)
	}
	opt.Steps = b.N + 1
	b.ResetTimer()
	res, err := Train(m, fs.Map, opt)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.SeqsPerSecond, "seqs/s")
}
