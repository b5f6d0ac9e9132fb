package geometry

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
)

// resultHash digests every number a Decodability result holds, bit for bit.
func resultHash(res *Result) string {
	h := sha256.New()
	put := func(xs ...float64) {
		for _, x := range xs {
			binary.Write(h, binary.LittleEndian, math.Float64bits(x))
		}
	}
	put(res.Rho)
	put(res.PerValue...)
	put(res.Gap...)
	put(res.Separators.RawMatrix().Data...)
	for i := range res.Support {
		for k, j := range res.Support[i] {
			put(float64(j), res.Weights[i][k])
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}

// TestDecodabilityAsBefore pins Decodability's results, bit for bit, to
// those of main at ab516f3 (rounding
// must not move: ρ, the separators and the supports feed the
// construction's widths).
func TestDecodabilityAsBefore(t *testing.T) {
	cases := []struct {
		spec factset.Spec
		want string
	}{
		{factset.Spec{Family: "spherical", N: 512, Dim: 32, Seed: 1}, "b7ce1a77f36c910eb0c2b656"},
		{factset.Spec{Family: "conditioned", Kappa: 100, N: 300, Dim: 16, Seed: 2}, "f06fa4953f0ef61c154d126f"},
		{factset.Spec{Family: "clustered", N: 256, Dim: 8, Seed: 3}, "b7cc52fe081b6259def677ae"},
		{factset.Spec{Family: "spiked", Beta: 10, N: 200, Dim: 24, Seed: 4}, "41d61109ce2e14d5e02a09ad"},
	}
	for _, c := range cases {
		spec, err := c.spec.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		fs, err := spec.Generate()
		if err != nil {
			t.Fatal(err)
		}
		res, err := Decodability(fs.Values, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := resultHash(res); got != c.want {
			t.Errorf("%v: results hash to %s, main's to %s", spec, got, c.want)
		}
	}
}
