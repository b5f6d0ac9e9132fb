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
