package construction

import (
	"strings"
	"testing"
)

// The sweeps report what the constructions they drive report, and a second
// run of the same config gives the same numbers.
func TestSweepsAgreeWithConstructions(t *testing.T) {
	lk, err := LookupCost{Dim: 8, Sizes: []int{4, 8}, Seed: 7}.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(lk) != 2 || lk[1].Facts != 8 || lk[1].Params != 8*(3*8+2) || !(lk[1].Gamma > 0) {
		t.Errorf("lookup points = %+v; want 8 facts at 3hd+2h parameters and a positive margin", lk)
	}
	mn, err := MinimalSweep{Dim: 16, EncDecFacts: []int{32, 64}, NTKFacts: []int{32}, NTKMaxHidden: 1 << 10, Seed: 1}.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(mn) != 3 || mn[0].Method != "encdec" || mn[1].Method != "ntk" || mn[2].F != 64 || mn[2].Method != "encdec" {
		t.Fatalf("minimal points = %+v; want encdec and ntk at F=32, encdec only at F=64", mn)
	}
	fs, err := sphericalFacts(64, 16, 1)
	if err != nil {
		t.Fatal(err)
	}
	want, err := MinimalEncDec(fs, MinimalOptions{Seed: 1, MaxHidden: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if mn[2].Hidden != want.Hidden || mn[2].Params != want.Params || mn[2].M != want.CodeDim {
		t.Errorf("sweep F=64: h=%d params=%d m=%d; MinimalEncDec: h=%d params=%d m=%d", mn[2].Hidden, mn[2].Params, mn[2].M, want.Hidden, want.Params, want.CodeDim)
	}
	des, err := DesignSweep{Dim: 16, Sizes: []int{64}, Seed: 1}.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(des) != len(designs) || des[1].Units != 5 || des[3].Refine {
		t.Errorf("design rows = %+v; want one per design, slack 1.25 → 5 units, the last without refinement", des)
	}
	an := AnisotropySweep{F: 32, Dim: 16, Kappas: []float64{10}, Betas: []float64{3}, Seeds: []uint64{1}}
	pts, err := an.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 4 || pts[0].Family != "conditioned" || pts[2].Family != "spiked" || pts[0].Accuracy != 1 {
		t.Errorf("anisotropy points = %+v; want encdec+ntk per family, encdec exact", pts)
	}
	again, _ := an.Run(nil)
	if again[1] != pts[1] {
		t.Errorf("same config, different NTK result: %+v vs %+v", again[1], pts[1])
	}
}

func TestLookupCostReportsFailures(t *testing.T) {
	// Unit vectors in ℝ¹ are ±1: three keys repeat one, which no MLP can tell apart.
	_, err := LookupCost{Dim: 1, Sizes: []int{3}, Seed: 1}.Run(nil)
	if err == nil || !strings.Contains(err.Error(), "n=3") {
		t.Errorf("3 facts in ℝ¹: error %v, want one naming n=3", err)
	}
}
