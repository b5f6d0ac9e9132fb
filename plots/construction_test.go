package plots

import (
	"bytes"
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/construction"
)

func TestConstructionFigures(t *testing.T) {
	var pts []ConstructionPoint
	for _, f := range []int{256, 512, 1024, 2048} {
		for s := uint64(1); s <= 2; s++ {
			pts = append(pts, ConstructionPoint{Method: "encdec", Facts: f, Seed: s, Params: int(30 * math.Pow(float64(f), 1.1)),
				ParamsWithoutSeeded: int(10 * math.Pow(float64(f), 1.1)), Accuracy: 1, Seconds: 1e-9 * math.Pow(float64(f), 3)})
		}
		pts = append(pts, ConstructionPoint{Method: "ntk", Facts: f, Params: int(math.Pow(float64(f), 1.7)), Accuracy: 1, Seconds: 0.01})
	}
	pts = append(pts, ConstructionPoint{Method: "ntk", Facts: 4096, Params: 0}) // no storing width
	p, fits, err := MinimalParamsVsFacts("", pts, false)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fits["encdec"].Slope-1.1) > 0.01 || math.Abs(fits["ntk"].Slope-1.7) > 0.01 {
		t.Fatalf("slopes %v", fits)
	}
	mustBeReadable(t, "minimal", p)
	if svg, err := Render(p, "svg"); err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("render: %v", err)
	}
	if _, fits, err = MinimalParamsVsFacts("", pts, true); err != nil || math.Abs(fits["encdec"].Slope-1.1) > 0.01 {
		t.Fatalf("without seeded: %v %v", fits, err)
	}
	if _, fits, err = ConstructionSeconds("", pts); err != nil || math.Abs(fits["encdec"].Slope-3) > 0.01 {
		t.Fatalf("seconds: %v %v", fits, err)
	}
	var kp []ConstructionPoint
	for _, k := range []float64{1, 10, 100, 1000} {
		for s := uint64(1); s <= 3; s++ {
			kp = append(kp, ConstructionPoint{Method: "encdec", Kappa: k, Seed: s, Accuracy: 1},
				ConstructionPoint{Method: "ntk", Kappa: k, Seed: s, Accuracy: 1 / math.Log10(10*k)})
		}
	}
	q, err := AccuracyVsKappa("", kp)
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "accuracy-vs-kappa", q)
	if svg, err := Render(q, "svg"); err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("render: %v", err)
	}
	for i := range kp {
		kp[i].Spike, kp[i].Kappa = kp[i].Kappa, 0
	}
	if _, err := AccuracyVsSpike("", kp); err != nil {
		t.Fatal(err)
	}
	if _, err := AccuracyVsKappa("", kp); err == nil {
		t.Fatal("points without κ accepted")
	}
	if _, err := AccuracyVsKappa("", nil); err == nil {
		t.Fatal("empty points accepted")
	}
}

func TestConstructionPointConversions(t *testing.T) {
	mp := MinimalPoints([]construction.MinimalPoint{{Method: "ntk", F: 64, Hidden: 300, Params: 9000, Without: 3000}})
	if len(mp) != 1 || mp[0] != (ConstructionPoint{Method: "ntk", Facts: 64, Hidden: 300, Params: 9000, ParamsWithoutSeeded: 3000}) {
		t.Errorf("MinimalPoints = %+v", mp)
	}
	ap := AnisotropyPoints([]construction.AnisotropyPoint{
		{Family: "conditioned", Param: 10, Method: "encdec", Seed: 2, Accuracy: 1},
		{Family: "spiked", Param: 3, Method: "ntk", Seed: 1, Accuracy: 0.5}})
	if ap[0].Kappa != 10 || ap[0].Spike != 0 || ap[1].Spike != 3 || ap[1].Kappa != 0 || ap[1].Accuracy != 0.5 || ap[0].Seed != 2 {
		t.Errorf("AnisotropyPoints = %+v", ap)
	}
}

func TestAnisotropyAt(t *testing.T) {
	var pts []construction.AnisotropyPoint
	for _, k := range []float64{1, 10, 100} {
		for s := uint64(1); s <= 2; s++ {
			rho := 0.3 / k
			pts = append(pts, construction.AnisotropyPoint{Family: "conditioned", Param: k, Method: "encdec", Seed: s, Rho: rho, M: int(10 * k), Accuracy: 1},
				construction.AnisotropyPoint{Family: "conditioned", Param: k, Method: "ntk", Seed: s, Rho: rho, Accuracy: 1 / k * float64(s)},
				construction.AnisotropyPoint{Family: "spiked", Param: k, Method: "encdec", Seed: s, Rho: 1, Accuracy: 1})
		}
	}
	p, r, err := AnisotropyAt(pts, "conditioned", 10)
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "anisotropy-at", p)
	if r.Rho != 0.03 || r.CodeDim != 100 || r.Accuracy["encdec"] != 1 || math.Abs(r.Accuracy["ntk"]-0.15) > 1e-12 || p.Title.Text != "Conditioned embeddings at κ = 10" {
		t.Errorf("reading %+v, title %q", r, p.Title.Text)
	}
	if _, _, err := AnisotropyAt(pts, "gaussian", 10); err == nil {
		t.Error("unknown family accepted")
	}
	if _, _, err := AnisotropyAt(pts, "conditioned", 3); err == nil {
		t.Error("a κ that was not swept accepted")
	}
}
