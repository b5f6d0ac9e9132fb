package construction

import (
	"fmt"
	"syscall"
	"testing"

	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// benchSet is a tied spherical fact set with its separators and decoder.
func benchSet(b *testing.B, F, d int) (*factset.FactSet, *Separators, *DecoderResult) {
	b.Helper()
	fs := factset.NewTied(factset.Spherical(F, d, rng.New(1)), rng.New(2))
	sep, err := ComputeSeparators(fs)
	if err != nil {
		b.Fatal(err)
	}
	dec, err := MinDecoder(sep, fs.Values, 3, DecoderOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return fs, sep, dec
}

// BenchmarkEncoderSolve times the encoder's linear solve alone (gates,
// Gram, Cholesky, up weights) for spherical F facts at d = 64.
func BenchmarkEncoderSolve(b *testing.B) {
	for _, F := range []int{1024, 4096} {
		b.Run(fmt.Sprintf("F=%d", F), func(b *testing.B) {
			fs, _, dec := benchSet(b, F, 64)
			units := (5*F/4 + 63) / 64
			O := mat.NewDense(F, dec.M, nil)
			for i, j := range fs.Map {
				O.SetRow(i, dec.Codes.RawRowView(j))
			}
			b.ResetTimer()
			c0 := cpuSeconds()
			defer reportCPU(b, c0)
			for i := 0; i < b.N; i++ {
				if _, _, err := solveEncoder(fs.Keys, drawGates(3, units, 64, F), mlp.ReLU, O); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncDec times the whole construction without verification: the
// separators are given (they are the decodability computation of package
// geometry), then the smallest decoding code dimension and the encoder.
func BenchmarkEncDec(b *testing.B) {
	for _, F := range []int{1024, 4096} {
		b.Run(fmt.Sprintf("F=%d", F), func(b *testing.B) {
			fs, sep, _ := benchSet(b, F, 64)
			b.ResetTimer()
			c0 := cpuSeconds()
			defer reportCPU(b, c0)
			for i := 0; i < b.N; i++ {
				benchConstruct(b, fs, sep)
			}
		})
	}
}

// benchConstruct runs the decoder search and the encoder solve, the steps
// EncDec takes after the separators and before verification.
func benchConstruct(b *testing.B, fs *factset.FactSet, sep *Separators) {
	dec, err := MinDecoder(sep, fs.Values, 3, DecoderOptions{})
	if err != nil {
		b.Fatal(err)
	}
	info := &Info{Durations: map[string]time.Duration{}}
	if _, err := encdecWithDecoder(fs, dec, Options{Seed: 3, Act: mlp.ReLU, Slack: DefaultSlack}, info, nil); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEncDecTotal times the whole construction as the CLI runs it,
// separators included, without the final verification.
func BenchmarkEncDecTotal(b *testing.B) {
	for _, F := range []int{1024, 4096} {
		b.Run(fmt.Sprintf("F=%d", F), func(b *testing.B) {
			fs := factset.NewTied(factset.Spherical(F, 64, rng.New(1)), rng.New(2))
			b.ResetTimer()
			c0 := cpuSeconds()
			defer reportCPU(b, c0)
			for i := 0; i < b.N; i++ {
				sep, err := ComputeSeparators(fs)
				if err != nil {
					b.Fatal(err)
				}
				benchConstruct(b, fs, sep)
			}
		})
	}
}

// BenchmarkVerify times mlp.Verify (float64 and float32) of the constructed
// MLP, which EncDec runs before returning.
func BenchmarkVerify(b *testing.B) {
	for _, F := range []int{1024, 4096} {
		b.Run(fmt.Sprintf("F=%d", F), func(b *testing.B) {
			fs, sep, _ := benchSet(b, F, 64)
			g, _, err := EncDec(fs, Options{Seed: 3, Separators: sep})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			c0 := cpuSeconds()
			defer reportCPU(b, c0)
			for i := 0; i < b.N; i++ {
				if _, err := mlp.Verify(g, fs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cpuSeconds is the process's user+system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// reportCPU adds a "cpu-s/op" metric: CPU time per operation, which unlike
// wall time does not grow when other processes share the machine's cores.
func reportCPU(b *testing.B, start float64) {
	b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op")
}
