package fit

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Rank is Spearman's rank correlation between two samples with its 95%
// confidence interval. The table tags pick the columns a notebook shows
// (kernelext.ShowTable).
type Rank struct {
	Rho float64 `table:"Spearman ρ" fmt:"%.3f"`
	// 95% confidence interval by the Fisher z transform with the
	// Fieller–Hartley–Pearson variance 1.06/(N−3) for rank correlations.
	CILow  float64 `table:"95% CI low" fmt:"%.3f"`
	CIHigh float64 `table:"95% CI high" fmt:"%.3f"`
	N      int     `table:"points"`
}

// String is "Spearman ρ = −0.812 [95% CI −0.90, −0.68], n=45".
func (r Rank) String() string {
	return fmt.Sprintf("Spearman ρ = %.3f [95%% CI %.2f, %.2f], n=%d", r.Rho, r.CILow, r.CIHigh, r.N)
}

// Ranks returns the ranks 1…n of xs, ties sharing the mean of the ranks
// they span (so 10, 20, 20, 30 ranks as 1, 2.5, 2.5, 4).
func Ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	out := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		mean := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			out[idx[k]] = mean
		}
		i = j + 1
	}
	return out
}

// Spearman returns the rank correlation of xs and ys: the Pearson
// correlation of their ranks (Ranks, ties averaged). It needs at least 4
// finite points (the interval's variance 1.06/(N−3)) and neither sample
// constant. The interval assumes independent points; with repeated
// measurements of related set-ups it is optimistic.
func Spearman(xs, ys []float64) (Rank, error) {
	if len(xs) != len(ys) {
		return Rank{}, fmt.Errorf("fit: Spearman: %d x values but %d y values; need equal lengths", len(xs), len(ys))
	}
	n := len(xs)
	if n < 4 {
		return Rank{}, fmt.Errorf("fit: Spearman: %d points; need at least 4 for a confidence interval", n)
	}
	for i := range xs {
		if !finite(xs[i]) || !finite(ys[i]) {
			return Rank{}, fmt.Errorf("fit: Spearman: point %d is (%g, %g); values must be finite", i, xs[i], ys[i])
		}
	}
	rx, ry := Ranks(xs), Ranks(ys)
	for name, r := range map[string][]float64{"x": rx, "y": ry} {
		if stat.Variance(r, nil) == 0 {
			return Rank{}, fmt.Errorf("fit: Spearman: all %d %s values are equal; need at least 2 distinct values", n, name)
		}
	}
	rho := stat.Correlation(rx, ry, nil)
	rho = math.Max(-1, math.Min(1, rho))
	z := math.Atanh(rho)
	half := distuv.UnitNormal.Quantile(0.975) * math.Sqrt(1.06/float64(n-3))
	return Rank{Rho: rho, CILow: math.Tanh(z - half), CIHigh: math.Tanh(z + half), N: n}, nil
}
