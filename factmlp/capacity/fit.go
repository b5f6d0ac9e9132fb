package capacity

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Fit is an ordinary least-squares line y = Slope·x + Intercept with the
// slope's standard error, its 95% confidence interval and R².
type Fit struct {
	Slope, Intercept float64
	SlopeSE          float64
	CILow, CIHigh    float64 // 95% confidence interval of the slope (Student t, n−2 dof)
	R2               float64
	N                int
}

func (f Fit) String() string {
	return fmt.Sprintf("slope %.3f [95%% CI %.3f, %.3f], R²=%.3f, n=%d", f.Slope, f.CILow, f.CIHigh, f.R2, f.N)
}

// LinearFit fits y on x by least squares. It needs at least two distinct x;
// with exactly two points the interval is infinite.
func LinearFit(xs, ys []float64) (Fit, error) {
	if len(xs) != len(ys) {
		return Fit{}, fmt.Errorf("capacity: fit: %d x values but %d y values", len(xs), len(ys))
	}
	n := len(xs)
	if n < 2 {
		return Fit{}, fmt.Errorf("capacity: fit: %d points; need at least 2", n)
	}
	var mx, my float64
	for i := range xs {
		if math.IsNaN(xs[i]) || math.IsInf(xs[i], 0) || math.IsNaN(ys[i]) || math.IsInf(ys[i], 0) {
			return Fit{}, fmt.Errorf("capacity: fit: point %d is (%g, %g); values must be finite", i, xs[i], ys[i])
		}
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxx, sxy, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	if sxx == 0 {
		return Fit{}, errors.New("capacity: fit: all x values are equal; need at least 2 distinct x")
	}
	f := Fit{Slope: sxy / sxx, N: n, R2: 1}
	f.Intercept = my - f.Slope*mx
	var ssr float64
	for i := range xs {
		r := ys[i] - f.Slope*xs[i] - f.Intercept
		ssr += r * r
	}
	if syy > 0 {
		f.R2 = 1 - ssr/syy
	}
	if n > 2 {
		f.SlopeSE = math.Sqrt(ssr / float64(n-2) / sxx)
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 2)}.Quantile(0.975)
		f.CILow, f.CIHigh = f.Slope-t*f.SlopeSE, f.Slope+t*f.SlopeSE
	} else {
		f.SlopeSE, f.CILow, f.CIHigh = math.Inf(1), math.Inf(-1), math.Inf(1)
	}
	return f, nil
}

// PowerLaw fits y = C·x^Slope by least squares on (log₂ x, log₂ y), so
// Intercept = log₂ C. Every x and y must be positive.
func PowerLaw(xs, ys []float64) (Fit, error) {
	if len(xs) != len(ys) {
		return Fit{}, fmt.Errorf("capacity: power-law fit: %d x values but %d y values", len(xs), len(ys))
	}
	lx, ly := make([]float64, len(xs)), make([]float64, len(ys))
	for i := range xs {
		if !(xs[i] > 0) || !(ys[i] > 0) {
			return Fit{}, fmt.Errorf("capacity: power-law fit: point %d is (%g, %g); x and y must be positive", i, xs[i], ys[i])
		}
		lx[i], ly[i] = math.Log2(xs[i]), math.Log2(ys[i])
	}
	return LinearFit(lx, ly)
}
