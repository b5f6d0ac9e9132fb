package rhosweep

import (
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
)

// Each point's ρ is geometry.Decodability of the generated values for that
// setting and seed; whitened ρ appears only when asked for.
func TestRunMatchesDecodability(t *testing.T) {
	base := factset.Spec{Family: "conditioned", N: 24, Dim: 4, Seed: 3}
	pts, err := Config{Base: base, Param: "kappa", Values: []float64{1, 20}, Seeds: 2}.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 || len(pts[1].Rho) != 2 || pts[1].RhoWhite != nil {
		t.Fatalf("points = %+v", pts)
	}
	spec := base
	spec.Kappa, spec.Seed = 20, 4
	spec, _ = spec.Normalize()
	values, err := spec.Table(spec.N, "values")
	if err != nil {
		t.Fatal(err)
	}
	res, err := geometry.Decodability(values, geometry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pts[1].X != 20 || pts[1].Rho[1] != res.Rho {
		t.Errorf("κ=20 seed 4: ρ = %v, want %v", pts[1].Rho[1], res.Rho)
	}
	again, _ := Config{Base: base, Param: "kappa", Values: []float64{1, 20}, Seeds: 2}.Run(nil)
	if again[0].Rho[0] != pts[0].Rho[0] {
		t.Error("same config, different ρ")
	}
}

func TestRunWhitening(t *testing.T) {
	pts, err := Config{Base: factset.Spec{Family: "conditioned", N: 24, Dim: 4, Kappa: 30, Seed: 1}, Param: "alpha", Values: []float64{0, 1}, Seeds: 1}.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(pts[0].RhoWhite[0]-pts[0].Rho[0]) > 1e-12 {
		t.Errorf("α=0 must leave ρ unchanged: %v vs %v", pts[0].RhoWhite[0], pts[0].Rho[0])
	}
	if !(pts[1].RhoWhite[0] > pts[1].Rho[0]) {
		t.Errorf("full whitening of κ=30 values should raise ρ: %v → %v", pts[1].Rho[0], pts[1].RhoWhite[0])
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	base := factset.Spec{Family: "spherical", N: 8, Dim: 3, Seed: 1}
	if _, err := (Config{Base: base, Param: "kappa", Values: []float64{1}, Seeds: 0}).Run(nil); err == nil || !strings.Contains(err.Error(), "Seeds = 0") {
		t.Errorf("zero seeds: %v", err)
	}
	if _, err := (Config{Base: base, Param: "temperature", Values: []float64{1}, Seeds: 1}).Run(nil); err == nil || !strings.Contains(err.Error(), `"temperature"`) {
		t.Errorf("unknown param: %v", err)
	}
}
