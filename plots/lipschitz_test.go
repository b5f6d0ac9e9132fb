package plots

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/transformer"
)

func lipschitzPoints() []transformer.LipschitzPoint {
	var pts []transformer.LipschitzPoint
	for _, s := range []string{"a", "b"} {
		for _, a := range []float64{0, 0.5, 1} {
			for seed := uint64(1); seed <= 2; seed++ {
				l := 10 * (1 + a + float64(seed)/10)
				pts = append(pts, transformer.LipschitzPoint{FactSet: s, Alpha: a, Seed: seed, FactAdaptive: 1 - a/3 - float64(seed)/100,
					StandaloneParams: int(1000 - 100*a), AtKeys: transformer.JacobianSummary{RawMean: l}})
			}
		}
	}
	return append(pts, transformer.LipschitzPoint{FactSet: "a", Alpha: 1, Note: "no MLP"})
}

// The figure's title carries the Spearman correlation of the plotted measure
// over the measured points (the noted one left out).
func TestUsabilityVsLipschitzMeasure(t *testing.T) {
	m, err := transformer.LipschitzMeasureNamed("mean ‖J‖ at keys")
	if err != nil {
		t.Fatal(err)
	}
	p, r, err := UsabilityVsLipschitzMeasure("fig", lipschitzPoints(), m)
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 12 || !(r.Rho < -0.9) || !strings.Contains(p.Title.Text, "Spearman") {
		t.Errorf("rank %v, title %q", r, p.Title.Text)
	}
	if _, err := Render(p, "svg"); err != nil {
		t.Fatal(err)
	}
	bad := lipschitzPoints()
	bad[0].AtKeys.RawMean = 0
	if _, _, err := UsabilityVsLipschitzMeasure("fig", bad, m); err == nil || !strings.Contains(err.Error(), "log axis") {
		t.Errorf("zero on a log axis: error %v", err)
	}
	flat := lipschitzPoints()
	for i := range flat {
		flat[i].FactAdaptive = 1
	}
	if p, r, err := UsabilityVsLipschitzMeasure("fig", flat, m); err != nil || !math.IsNaN(r.Rho) || !strings.Contains(p.Title.Text, "no rank correlation") {
		t.Errorf("constant accuracy: rank %v, error %v; want the plot with the reason", r, err)
	}
	if _, _, err := UsabilityVsLipschitzMeasure("fig", nil, m); err == nil {
		t.Error("no points accepted")
	}
}

func TestWhiteningVsAlpha(t *testing.T) {
	p, err := WhiteningVsAlpha("cap", "params", lipschitzPoints(), func(q transformer.LipschitzPoint) float64 { return float64(q.StandaloneParams) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Render(p, "svg"); err != nil {
		t.Fatal(err)
	}
	if _, err := WhiteningVsAlpha("cap", "params", nil, nil); err == nil {
		t.Error("no points accepted")
	}
}

// Points of other methods (LipschitzStudy.Methods) get a marker per method,
// named in the legend, beside the α markers of the encoder–decoder.
func TestUsabilityVsLipschitzMeasureMethods(t *testing.T) {
	m, err := transformer.LipschitzMeasureNamed("mean ‖J‖ at keys")
	if err != nil {
		t.Fatal(err)
	}
	pts := lipschitzPoints()
	for i, name := range []string{"hebbian-whitened", "hebbian-data-dependent"} {
		pts = append(pts, transformer.LipschitzPoint{Method: name, FactSet: "a", Seed: 1, FactAdaptive: 0.9 - 0.1*float64(i), AtKeys: transformer.JacobianSummary{RawMean: 5}})
	}
	if got, want := markerKeys(pts), []string{"α = 0", "α = 0.5", "α = 1", "hebbian-whitened", "hebbian-data-dependent"}; !slices.Equal(got, want) {
		t.Errorf("markers %q, want %q", got, want)
	}
	p, r, err := UsabilityVsLipschitzMeasure("fig", pts, m)
	if err != nil || r.N != 14 {
		t.Fatalf("rank %v, error %v; want 14 points", r, err)
	}
	svg, err := Render(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"hebbian-data-dependent", "α = 0.5"} {
		if !strings.Contains(string(svg), w) {
			t.Errorf("legend lacks %q", w)
		}
	}
}
