package plots

import (
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/transformer"
)

func TestTransformerScaling(t *testing.T) {
	var pts []transformer.ScalingPoint
	for _, F := range []int{64, 128, 256} {
		for seed := uint64(1); seed <= 3; seed++ {
			pts = append(pts, transformer.ScalingPoint{Method: "encdec", Facts: F, Seed: seed,
				StandaloneParams: 100 * F, MinParams: 110*F + int(seed)*50})
		}
	}
	fits := transformer.ScalingFits(pts)
	p, err := TransformerScaling("test", pts, fits)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := Render(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"encdec in Transformer: slope", "encdec standalone: slope 1.00"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the figure has no legend entry %q", want)
		}
	}
	if _, err := TransformerScaling("empty", nil, nil); err == nil {
		t.Error("no points were accepted")
	}
}

func TestParamRatiosAndWidthRatioFigures(t *testing.T) {
	var pts []transformer.ScalingPoint
	for _, F := range []int{64, 128, 256} {
		for seed := uint64(1); seed <= 3; seed++ {
			pts = append(pts,
				transformer.ScalingPoint{Method: "gd", Facts: F, Seed: seed, StandaloneHidden: 10, StandaloneParams: 10 * F, MinHidden: 12, MinParams: 12 * F},
				transformer.ScalingPoint{Method: "hebbian-whitened", Facts: F, Seed: seed, StandaloneHidden: 20, StandaloneParams: 20 * F,
					MinHidden: 20 + int(seed), MinParams: (20 + int(seed)) * F})
		}
	}
	var rows []transformer.ParamRatio
	for _, where := range []string{transformer.InTransformer, transformer.Standalone} {
		rs, err := transformer.ParamRatios(pts, "hebbian-whitened", "gd", where)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, rs...)
	}
	p, err := ParamRatiosVsFacts("ratios", rows, 3, "successor: within 3×")
	if err != nil {
		t.Fatal(err)
	}
	svg, err := Render(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"hebbian-whitened, in Transformer", "hebbian-whitened, standalone", "successor: within 3×", "params(gd)"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the ratio figure has no %q", want)
		}
	}
	if problems := Check(p); len(problems) > 0 {
		t.Errorf("figure check: %v (y %g–%g)", problems, p.Y.Min, p.Y.Max)
	}
	mixed := append(rows[:1:1], transformer.ParamRatio{Method: "x", Versus: "encdec", N: 1, Facts: 64, Geo: 1, Min: 1, Max: 1})
	if _, err := ParamRatiosVsFacts("mixed", mixed, 0, ""); err == nil || !strings.Contains(err.Error(), `"encdec"`) {
		t.Errorf("two reference methods: err = %v", err)
	}
	if _, err := ParamRatiosVsFacts("empty", nil, 0, ""); err == nil {
		t.Error("no ratios were accepted")
	}

	w, err := WidthRatioVsFacts("width ratio", transformer.ScalingRows(pts))
	if err != nil {
		t.Fatal(err)
	}
	if svg, err = Render(w, "svg"); err != nil || !strings.Contains(string(svg), "hebbian-whitened") || !strings.Contains(string(svg), "Transformer width / standalone width") {
		t.Errorf("width-ratio figure: %v", err)
	}
	if problems := Check(w); len(problems) > 0 {
		t.Errorf("width-ratio figure check: %v", problems)
	}
	one := []transformer.ScalingPoint{{Method: "gd", Facts: 64, Seed: 1, StandaloneHidden: 10, StandaloneParams: 640, MinHidden: 12, MinParams: 768}}
	if w, err = WidthRatioVsFacts("one F", transformer.ScalingRows(one)); err != nil || len(Check(w)) > 0 {
		t.Errorf("one F: %v %v", err, Check(w))
	}
	capped := []transformer.ScalingPoint{{Method: "gd", Facts: 64, Seed: 1, StandaloneHidden: 10, StandaloneParams: 640}}
	if _, err := WidthRatioVsFacts("capped", transformer.ScalingRows(capped)); err == nil {
		t.Error("rows without a ratio were accepted")
	}
}
