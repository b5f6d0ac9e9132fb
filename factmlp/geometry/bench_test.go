package geometry

import (
	"fmt"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// BenchmarkDecodability measures ρ(V) with all separators for spherical
// values, d = 64 (issue 3 target: |V| = 2048 in ≤ 2 s on 2 cores).
func BenchmarkDecodability(b *testing.B) {
	for _, n := range []int{256, 1024, 2048, 4096} {
		v := factset.Spherical(n, 64, rng.New(1))
		b.Run(fmt.Sprintf("spherical/n=%d/d=64", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Decodability(v, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
