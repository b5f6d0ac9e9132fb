package fit

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Line is an ordinary least-squares line y = Slope·x + Intercept with the
// slope's standard error, its 95% confidence interval and R². The table
// tags pick the columns a notebook shows (kernelext.ShowTable).
type Line struct {
	Slope     float64 `table:"slope" fmt:"%.3f"`
	Intercept float64 `table:"-"`
	SlopeSE   float64 `table:"-"`
	// 95% confidence interval of the slope (Student t, N−2 degrees of freedom).
	CILow  float64 `table:"95% CI low" fmt:"%.3f"`
	CIHigh float64 `table:"95% CI high" fmt:"%.3f"`
	R2     float64 `table:"R²" fmt:"%.3f"`
	N      int     `table:"points"` // number of points fitted
}

// String is "slope 1.020 [95% CI 0.990, 1.050], R²=0.998, n=6".
func (l Line) String() string {
	return fmt.Sprintf("slope %.3f [95%% CI %.3f, %.3f], R²=%.3f, n=%d", l.Slope, l.CILow, l.CIHigh, l.R2, l.N)
}

// Short is "slope 1.02, R²=0.998", the form figure legends use.
func (l Line) Short() string {
	return fmt.Sprintf("slope %.2f, R²=%.3f", l.Slope, l.R2)
}

// At returns Slope·x + Intercept.
func (l Line) At(x float64) float64 { return l.Slope*x + l.Intercept }

// Power evaluates the power law a PowerLaw fit describes: 2^Intercept · x^Slope.
func (l Line) Power(x float64) float64 { return math.Exp2(l.At(math.Log2(x))) }

// Linear fits y on x by least squares. It needs finite values and at least
// two distinct x; with exactly two points the confidence interval is
// infinite.
func Linear(xs, ys []float64) (Line, error) {
	if len(xs) != len(ys) {
		return Line{}, fmt.Errorf("fit: %d x values but %d y values; need equal lengths", len(xs), len(ys))
	}
	n := len(xs)
	if n < 2 {
		return Line{}, fmt.Errorf("fit: %d points; need at least 2", n)
	}
	for i := range xs {
		if !finite(xs[i]) || !finite(ys[i]) {
			return Line{}, fmt.Errorf("fit: point %d is (%g, %g); values must be finite", i, xs[i], ys[i])
		}
	}
	if stat.Variance(xs, nil) == 0 {
		return Line{}, fmt.Errorf("fit: all %d x values equal %g; need at least 2 distinct x", n, xs[0])
	}
	intercept, slope := stat.LinearRegression(xs, ys, nil, false)
	l := Line{Slope: slope, Intercept: intercept, N: n, R2: 1}
	var ssr, sxx float64
	mx := stat.Mean(xs, nil)
	for i, x := range xs {
		r := ys[i] - l.At(x)
		ssr += r * r
		sxx += (x - mx) * (x - mx)
	}
	if stat.Variance(ys, nil) > 0 {
		l.R2 = stat.RSquared(xs, ys, nil, intercept, slope)
	}
	if n == 2 {
		l.SlopeSE, l.CILow, l.CIHigh = math.Inf(1), math.Inf(-1), math.Inf(1)
		return l, nil
	}
	l.SlopeSE = math.Sqrt(ssr / float64(n-2) / sxx)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 2)}.Quantile(0.975)
	l.CILow, l.CIHigh = l.Slope-t*l.SlopeSE, l.Slope+t*l.SlopeSE
	return l, nil
}

// PowerLaw fits y = C·x^Slope by least squares on (log₂ x, log₂ y), so
// Intercept = log₂ C. Every x and y must be positive and finite.
func PowerLaw(xs, ys []float64) (Line, error) {
	if len(xs) != len(ys) {
		return Line{}, fmt.Errorf("fit: power law: %d x values but %d y values; need equal lengths", len(xs), len(ys))
	}
	lx, ly := make([]float64, len(xs)), make([]float64, len(ys))
	for i := range xs {
		if !(xs[i] > 0) || !(ys[i] > 0) || !finite(xs[i]) || !finite(ys[i]) {
			return Line{}, fmt.Errorf("fit: power law: point %d is (%g, %g); x and y must be positive and finite", i, xs[i], ys[i])
		}
		lx[i], ly[i] = math.Log2(xs[i]), math.Log2(ys[i])
	}
	l, err := Linear(lx, ly)
	if err != nil {
		return Line{}, fmt.Errorf("fit: power law: %w", err)
	}
	return l, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
