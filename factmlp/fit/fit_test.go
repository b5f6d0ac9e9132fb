package fit

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestLinearExact(t *testing.T) {
	l, err := Linear([]float64{0, 1, 2, 3}, []float64{1, 3, 5, 7})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l.Slope-2) > 1e-12 || math.Abs(l.Intercept-1) > 1e-12 || l.R2 != 1 || l.N != 4 || l.SlopeSE > 1e-12 {
		t.Errorf("fit = %+v, want slope 2, intercept 1, R² 1, SE 0", l)
	}
	if l.CILow > l.Slope || l.CIHigh < l.Slope {
		t.Errorf("CI [%g, %g] does not contain the slope %g", l.CILow, l.CIHigh, l.Slope)
	}
}

// The slope, SE and CI of a noisy line against values worked out by hand:
// x = 1..5, y = 2, 4, 5, 4, 5 gives slope 0.6, intercept 2.2, SSR = 2.4,
// Sxx = 10, SE = sqrt(2.4/3/10), t(0.975, 3) = 3.182446, R² = 0.6.
func TestLinearNoisyAgainstHand(t *testing.T) {
	l, err := Linear([]float64{1, 2, 3, 4, 5}, []float64{2, 4, 5, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	se := math.Sqrt(2.4 / 3 / 10)
	want := Line{Slope: 0.6, Intercept: 2.2, SlopeSE: se, CILow: 0.6 - 3.182446305284263*se, CIHigh: 0.6 + 3.182446305284263*se, R2: 0.6, N: 5}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"slope", l.Slope, want.Slope}, {"intercept", l.Intercept, want.Intercept}, {"SE", l.SlopeSE, want.SlopeSE},
		{"CI low", l.CILow, want.CILow}, {"CI high", l.CIHigh, want.CIHigh}, {"R²", l.R2, want.R2}} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %.12g, want %.12g", c.name, c.got, c.want)
		}
	}
}

func TestLinearTwoPointsInfiniteCI(t *testing.T) {
	l, err := Linear([]float64{1, 2}, []float64{1, 3})
	if err != nil {
		t.Fatal(err)
	}
	if l.Slope != 2 || !math.IsInf(l.CILow, -1) || !math.IsInf(l.CIHigh, 1) {
		t.Errorf("two-point fit = %+v", l)
	}
}

func TestPowerLaw(t *testing.T) {
	xs := []float64{2, 4, 8, 16, 32}
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = 3 * math.Pow(x, 1.5)
	}
	l, err := PowerLaw(xs, ys)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l.Slope-1.5) > 1e-12 || math.Abs(l.Intercept-math.Log2(3)) > 1e-12 {
		t.Errorf("power law = %+v, want slope 1.5, intercept log2 3", l)
	}
	if got := l.Power(64); math.Abs(got-3*512) > 1e-9 {
		t.Errorf("Power(64) = %g, want %g", got, 3*512.0)
	}
	if s := l.Short(); s != "slope 1.50, R²=1.000" {
		t.Errorf("Short() = %q", s)
	}
}

func TestErrorsNameTheBadValue(t *testing.T) {
	for _, c := range []struct {
		name   string
		xs, ys []float64
		power  bool
		want   string
	}{
		{"lengths", []float64{1, 2}, []float64{1}, false, "2 x values but 1 y values"},
		{"one point", []float64{1}, []float64{1}, false, "1 points"},
		{"equal x", []float64{3, 3, 3}, []float64{1, 2, 3}, false, "all 3 x values equal 3"},
		{"NaN", []float64{1, math.NaN()}, []float64{1, 2}, false, "point 1 is (NaN, 2)"},
		{"zero in log", []float64{1, 0}, []float64{1, 2}, true, "point 1 is (0, 2)"},
		{"negative y", []float64{1, 2}, []float64{1, -2}, true, "point 1 is (2, -2)"},
		{"Inf", []float64{1, math.Inf(1)}, []float64{1, 2}, true, "point 1 is (+Inf, 2)"},
	} {
		f := Linear
		if c.power {
			f = PowerLaw
		}
		_, err := f(c.xs, c.ys)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// The 95% CI of the slope covers the true slope about 95% of the time.
func TestPowerLawCICoverage(t *testing.T) {
	var xs, ys []float64
	for x := 16.0; x <= 4096; x *= 2 {
		xs, ys = append(xs, x), append(ys, 3*math.Pow(x, 1.5))
	}
	f, err := PowerLaw(xs, ys)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.Slope-1.5) > 1e-12 || math.Abs(f.Intercept-math.Log2(3)) > 1e-9 || f.R2 < 1-1e-12 {
		t.Fatalf("exact power law: %v", f)
	}
	// With multiplicative noise the 95% interval covers the true slope in
	// most of 200 repetitions.
	r := rand.New(rand.NewPCG(1, 2))
	covered := 0
	for rep := 0; rep < 200; rep++ {
		ys := make([]float64, len(xs))
		for i, x := range xs {
			ys[i] = 2 * math.Pow(x, 0.8) * math.Exp2(0.2*r.NormFloat64())
		}
		f, err := PowerLaw(xs, ys)
		if err != nil {
			t.Fatal(err)
		}
		if f.CILow <= 0.8 && 0.8 <= f.CIHigh {
			covered++
		}
	}
	if covered < 180 || covered == 200 && false {
		t.Fatalf("95%% CI covered the true slope in %d/200 runs", covered)
	}
	if _, err := PowerLaw([]float64{1, 2}, []float64{1, -2}); err == nil {
		t.Fatal("negative y must be rejected")
	}
	if _, err := Linear([]float64{1, 1}, []float64{1, 2}); err == nil {
		t.Fatal("equal x must be rejected")
	}
}
