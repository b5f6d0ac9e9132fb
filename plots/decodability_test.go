package plots

import (
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/rhosweep"
	"gonum.org/v1/gonum/mat"
)

func TestDecodabilityFigures(t *testing.T) {
	v := mat.NewDense(6, 2, []float64{1, 0.2, -0.8, 0.5, -0.3, -1, 0.9, -0.7, 0.1, 0.1, 0.2, 1.1})
	res, err := geometry.Decodability(v, geometry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p1, err := DecodabilityPlane(v, 0, res)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := DecodabilityCap(v, 0, res)
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "plane", p1)
	mustBeReadable(t, "cap", p2)
	svg, err := Render(p1, "svg")
	if err != nil || !strings.Contains(string(svg), "<svg") {
		t.Fatalf("plane: %v", err)
	}
	if _, err := Render(p2, "svg"); err != nil {
		t.Fatalf("cap: %v", err)
	}
	if len(res.Undecodable) != 1 || res.Undecodable[0] != 4 {
		t.Fatalf("expected value 4 undecodable, got %v", res.Undecodable)
	}
	if _, err := DecodabilityPlane(mat.NewDense(3, 3, nil), 0, res); err == nil || !strings.Contains(err.Error(), "2-D") {
		t.Fatalf("3-D values: %v", err)
	}
	sw, err := rhosweep.Config{Base: factset.Spec{Family: "conditioned", N: 40, Dim: 4}, Param: "kappa", Values: []float64{1, 10}, Seeds: 2, Alpha: 1}.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	p3, err := RhoSweep("ρ vs κ", "κ", true, []string{"conditioned"}, [][]rhosweep.Point{sw}, 1)
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "rho-sweep", p3)
	if _, err := Render(p3, "svg"); err != nil {
		t.Fatal(err)
	}
	aw, err := rhosweep.Config{Base: factset.Spec{Family: "conditioned", N: 40, Dim: 4, Kappa: 30}, Param: "alpha", Values: []float64{0, 0.5, 1}, Seeds: 1, Alpha: 0}.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	p4, err := WhiteningSweep("whitening", []string{"κ=30"}, [][]rhosweep.Point{aw})
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "whitening", p4)
	if _, err := Render(p4, "svg"); err != nil {
		t.Fatal(err)
	}
	sw0, _ := rhosweep.Config{Base: factset.Spec{N: 20, Dim: 3}, Param: "dim", Values: []float64{3}, Seeds: 1, Alpha: 0}.Run(nil)
	if _, err := WhiteningSweep("x", []string{"a"}, [][]rhosweep.Point{nil}); err == nil {
		t.Fatal("empty sweep accepted")
	}
	if _, err := WhiteningSweep("x", []string{"a"}, [][]rhosweep.Point{sw0}); err == nil || !strings.Contains(err.Error(), "no whitened") {
		t.Fatalf("unwhitened sweep: %v", err)
	}
}
