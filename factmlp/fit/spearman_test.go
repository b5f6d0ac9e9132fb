package fit

import (
	"math"
	"strings"
	"testing"
)

func TestRanksAverageTies(t *testing.T) {
	got := Ranks([]float64{30, 10, 20, 20})
	want := []float64{4, 1, 2.5, 2.5}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Ranks = %v, want %v", got, want)
		}
	}
}

// Any strictly increasing transform of x gives ρ = 1; a decreasing one −1.
func TestSpearmanMonotone(t *testing.T) {
	xs := []float64{0.3, 1, 2, 5, 7, 11}
	up, down := make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		up[i], down[i] = math.Exp(x), -x*x*x
	}
	if r, err := Spearman(xs, up); err != nil || math.Abs(r.Rho-1) > 1e-12 || r.CILow < 0.999 {
		t.Errorf("increasing: %v, %v; want ρ = 1", r, err)
	}
	if r, err := Spearman(xs, down); err != nil || math.Abs(r.Rho+1) > 1e-12 || r.CIHigh > -0.999 {
		t.Errorf("decreasing: %v, %v; want ρ = −1", r, err)
	}
}

// Against a value worked out by hand: ranks x = 1..5, y = 2, 1, 4, 3, 5 give
// Σd² = 4, ρ = 1 − 6·4/(5·24) = 0.8; z = atanh 0.8 = 1.0986, half-width
// 1.959964·√(1.06/2) = 1.42689, CI = tanh(−0.3283, 2.5255) = (−0.3170, 0.9873).
func TestSpearmanAgainstHand(t *testing.T) {
	r, err := Spearman([]float64{1, 2, 3, 4, 5}, []float64{20, 10, 40, 30, 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"ρ", r.Rho, 0.8}, {"CI low", r.CILow, -0.31702}, {"CI high", r.CIHigh, 0.98730}} {
		if math.Abs(c.got-c.want) > 1e-4 {
			t.Errorf("%s = %.6f, want %.6f", c.name, c.got, c.want)
		}
	}
	if r.N != 5 || !(r.CILow < r.Rho && r.Rho < r.CIHigh) {
		t.Errorf("%v: n or interval wrong", r)
	}
}

// The interval narrows as the same relation is seen on more points.
func TestSpearmanIntervalNarrows(t *testing.T) {
	width := func(n int) float64 {
		xs, ys := make([]float64, n), make([]float64, n)
		for i := range xs {
			xs[i], ys[i] = float64(i), float64(i)+3*math.Sin(float64(7*i))
		}
		r, err := Spearman(xs, ys)
		if err != nil {
			t.Fatal(err)
		}
		return r.CIHigh - r.CILow
	}
	if w10, w100 := width(10), width(100); !(w100 < w10) {
		t.Errorf("CI width %g at n=100 is not below %g at n=10", w100, w10)
	}
}

func TestSpearmanRejects(t *testing.T) {
	for _, c := range []struct {
		name   string
		xs, ys []float64
		want   string
	}{
		{"lengths", []float64{1, 2, 3, 4}, []float64{1, 2, 3}, "equal lengths"},
		{"few", []float64{1, 2, 3}, []float64{1, 2, 3}, "at least 4"},
		{"nan", []float64{1, 2, math.NaN(), 4}, []float64{1, 2, 3, 4}, "finite"},
		{"constant", []float64{1, 2, 3, 4}, []float64{5, 5, 5, 5}, "all 4 y values are equal"},
	} {
		if _, err := Spearman(c.xs, c.ys); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
