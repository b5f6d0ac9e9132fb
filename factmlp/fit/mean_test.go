package fit

import (
	"math"
	"testing"
)

func TestMeanCI(t *testing.T) {
	// Three values 1, 2, 3: mean 2, sd 1, t(2) 0.975-quantile 4.303.
	m, lo, hi := MeanCI([]float64{1, 2, 3})
	half := 4.302652729911275 / math.Sqrt(3)
	if m != 2 || math.Abs(lo-(2-half)) > 1e-9 || math.Abs(hi-(2+half)) > 1e-9 {
		t.Fatalf("MeanCI(1,2,3) = %v [%v, %v]; want 2 ± %v", m, lo, hi, half)
	}
	if m, lo, hi := MeanCI([]float64{5}); m != 5 || lo != 5 || hi != 5 {
		t.Fatalf("one value: %v [%v, %v]", m, lo, hi)
	}
	if m, _, _ := MeanCI(nil); !math.IsNaN(m) {
		t.Fatalf("no values: mean %v; want NaN", m)
	}
}
