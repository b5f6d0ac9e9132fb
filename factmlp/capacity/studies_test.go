package capacity

import (
	"slices"
	"testing"
)

func TestRhoStudyConfigs(t *testing.T) {
	s := RhoStudy{Facts: 128, Dim: 32, EncDecBetas: []float64{3, 30}, GDBetas: []float64{3}, GD: GD{Epochs: 1000}, Seeds: []uint64{1, 2}, Keys: "spherical"}
	cs := s.Configs()
	if len(cs) != 3 {
		t.Fatalf("%d configs, want encdec, gd, gd-mse", len(cs))
	}
	enc, ce, mse := cs[0], cs[1], cs[2]
	if !slices.Equal(enc.Methods, []string{"encdec"}) || len(enc.Families) != 3 || enc.Families[2] != (Family{Family: "spiked", Beta: 30, Keys: "spherical"}) || enc.RelTol != 0 {
		t.Errorf("encdec config = %+v", enc)
	}
	if ce.GD != (GD{Epochs: 1000}) || mse.GD != (GD{Epochs: 1000, Loss: "mse"}) || ce.RelTol != 0.05 || len(ce.Families) != 2 || ce.Families[0].Family != "spherical" {
		t.Errorf("gd configs = %+v / %+v", ce, mse)
	}
	for _, c := range cs {
		if !slices.Equal(c.Seeds, s.Seeds) || !slices.Equal(c.Facts, []int{128}) || !slices.Equal(c.Dims, []int{32}) {
			t.Errorf("config %+v lost the study's sizes or seeds", c)
		}
	}
}

func TestSweepAllRejectsEmptyConfig(t *testing.T) {
	if _, err := SweepAll([]Config{{}}, SweepOptions{}); err == nil {
		t.Error("a config without methods was accepted")
	}
}
