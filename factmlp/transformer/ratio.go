package transformer

import (
	"fmt"
	"math"
	"sort"
)

// Where a fact MLP's parameters are counted in a ScalingPoint.
const (
	InTransformer = "in Transformer" // MinParams: the smallest MLP the Transformer reads at the threshold
	Standalone    = "standalone"     // StandaloneParams: the smallest MLP that stores the facts alone
)

// ParamRatio is, for one F, the parameters of Method's MLP over those of
// Versus's MLP on the same fact set (same F and seed), counted Where.
type ParamRatio struct {
	Method string `table:"method"`
	Versus string `table:"versus"`
	Where  string `table:"MLP"`
	Facts  int    `table:"F"`
	// PerSeed holds one ratio per seed both methods have a width for,
	// in the order of Seeds.
	PerSeed []float64 `table:"-"`
	Seeds   []uint64  `table:"-"`
	N       int       `table:"seeds"`
	// Each is PerSeed as text, "seed 1: 1.23×, seed 2: …".
	Each string  `table:"per seed"`
	Min  float64 `table:"ratio min" fmt:"%.2f"`
	Max  float64 `table:"ratio max" fmt:"%.2f"`
	// Geo is the geometric mean over seeds.
	Geo float64 `table:"geometric mean" fmt:"%.2f"`
	// Missing names the seeds left out: either method found no width
	// (capped, or nothing stored standalone).
	Missing []string `table:"left out"`
}

// String is "F=256: 1.2–1.9× (3 seeds)".
func (r ParamRatio) String() string {
	return fmt.Sprintf("F=%d: %.2f–%.2f× (%d seeds)", r.Facts, r.Min, r.Max, r.N)
}

// ParamRatios pairs the points of method and versus by (F, seed) and
// returns, per F ascending, the per-seed ratio of their parameters counted
// where (InTransformer or Standalone). Points without a width on either
// side are named in Missing; an F where no seed pairs has N = 0 and NaN
// statistics. It is an error to name an unknown where, or a method with no
// point at all.
func ParamRatios(points []ScalingPoint, method, versus, where string) ([]ParamRatio, error) {
	if where != InTransformer && where != Standalone {
		return nil, fmt.Errorf("transformer: ratio of parameters %q; accepted: %q, %q", where, InTransformer, Standalone)
	}
	params := func(p ScalingPoint) int {
		if where == Standalone {
			return p.StandaloneParams
		}
		return p.MinParams
	}
	type key struct {
		f    int
		seed uint64
	}
	other := map[key]ScalingPoint{}
	var facts []int
	seenF := map[int]bool{}
	has := map[string]bool{}
	for _, p := range points {
		has[p.Method] = true
		if p.Method == versus {
			other[key{p.Facts, p.Seed}] = p
		}
		if p.Method == method && !seenF[p.Facts] {
			seenF[p.Facts] = true
			facts = append(facts, p.Facts)
		}
	}
	for _, m := range []string{method, versus} {
		if !has[m] {
			return nil, fmt.Errorf("transformer: no scaling point of method %q (points have %v)", m, sortedKeys(has))
		}
	}
	sort.Ints(facts)
	var out []ParamRatio
	for _, F := range facts {
		r := ParamRatio{Method: method, Versus: versus, Where: where, Facts: F, Min: math.NaN(), Max: math.NaN(), Geo: math.NaN()}
		var sumLog float64
		for _, p := range points {
			if p.Method != method || p.Facts != F {
				continue
			}
			o, ok := other[key{F, p.Seed}]
			if !ok || params(p) <= 0 || params(o) <= 0 {
				r.Missing = append(r.Missing, fmt.Sprintf("seed %d", p.Seed))
				continue
			}
			q := float64(params(p)) / float64(params(o))
			r.PerSeed, r.Seeds = append(r.PerSeed, q), append(r.Seeds, p.Seed)
			if r.Each != "" {
				r.Each += ", "
			}
			r.Each += fmt.Sprintf("seed %d: %.2f×", p.Seed, q)
			if r.N == 0 || q < r.Min {
				r.Min = q
			}
			if r.N == 0 || q > r.Max {
				r.Max = q
			}
			r.N++
			sumLog += math.Log(q)
		}
		if r.N > 0 {
			r.Geo = math.Exp(sumLog / float64(r.N))
		}
		out = append(out, r)
	}
	return out, nil
}

// RatioSpan is the smallest and largest per-seed ratio over rs (NaN, NaN
// when none has a seed).
func RatioSpan(rs []ParamRatio) (lo, hi float64) {
	lo, hi = math.NaN(), math.NaN()
	for _, r := range rs {
		for _, q := range r.PerSeed {
			if math.IsNaN(lo) || q < lo {
				lo = q
			}
			if math.IsNaN(hi) || q > hi {
				hi = q
			}
		}
	}
	return lo, hi
}

// CountWithin counts the per-seed ratios of rs at most limit, and all of
// them.
func CountWithin(rs []ParamRatio, limit float64) (within, total int) {
	for _, r := range rs {
		for _, q := range r.PerSeed {
			total++
			if q <= limit {
				within++
			}
		}
	}
	return within, total
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// WidthRatioSpan summarises the ScalingRows of one method: the smallest and
// largest per-seed ratio of Transformer to standalone width over every F
// (NaN, NaN when every seed is capped), the capped seeds and all seeds.
func WidthRatioSpan(rows []ScalingRow, method string) (lo, hi float64, capped, seeds int) {
	lo, hi = math.NaN(), math.NaN()
	for _, r := range rows {
		if r.Method != method {
			continue
		}
		seeds, capped = seeds+r.Seeds, capped+r.Capped
		if math.IsNaN(r.RatioMin) {
			continue
		}
		if math.IsNaN(lo) || r.RatioMin < lo {
			lo = r.RatioMin
		}
		if math.IsNaN(hi) || r.RatioMax > hi {
			hi = r.RatioMax
		}
	}
	return lo, hi, capped, seeds
}

// SpanText writes a ratio span as "1.20–3.40×", or "none (no pair)" when
// it is NaN.
func SpanText(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "none (no pair)"
	}
	return fmt.Sprintf("%.2f–%.2f×", lo, hi)
}
