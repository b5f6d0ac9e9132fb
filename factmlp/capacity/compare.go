package capacity

import (
	"cmp"
	"math"
	"slices"
)

// Ratio is the cost of one method over another's on the same fact sets
// (same family, dimension, F and seed), over the seeds where both stored.
type Ratio struct {
	Method string  `table:"method"`
	Versus string  `table:"vs"`
	Family string  `table:"family"`
	Beta   float64 `table:"β"`
	Dim    int     `table:"d"`
	Facts  int     `table:"F"`
	Seeds  int     `table:"seeds"`
	Mean   float64 `table:"params ratio (geo. mean)" fmt:"%.3g"`
	Min    float64 `table:"min" fmt:"%.3g"`
	Max    float64 `table:"max" fmt:"%.3g"`
	// Capped is why some seed's record of either method is capped
	// (Record.Capped; "" when none is).
	Capped string `table:"capped"`
}

type pairKey struct {
	family, keys string
	kappa, beta  float64
	dim, facts   int
	seed         uint64
}

// CostRatios pairs the records of method and versus (by Label) seed by seed
// and returns MinParams(method)/MinParams(versus) per fact-set
// configuration, in the order of method's records; pairs where either did
// not store are left out.
func CostRatios(recs []Record, method, versus string) []Ratio {
	return CostRatiosCounted(recs, method, versus, AllStored)
}

// CostRatiosCounted is CostRatios with the parameters counted by c.
func CostRatiosCounted(recs []Record, method, versus string, c ParamCount) []Ratio {
	key := func(r Record) pairKey {
		return pairKey{r.Family, r.Keys, r.Kappa, r.Beta, r.Dim, r.Facts, r.Seed}
	}
	other := map[pairKey]Record{}
	for _, r := range Select(recs, versus) {
		other[key(r)] = r
	}
	var out []Ratio
	index := map[pairKey]int{}
	var logs [][]float64
	for _, r := range Select(recs, method) {
		o, ok := other[key(r)]
		if !ok || !r.Found || !o.Found {
			continue
		}
		k := key(r)
		k.seed = 0
		i, seen := index[k]
		if !seen {
			i = len(out)
			index[k] = i
			out = append(out, Ratio{Method: method, Versus: versus, Family: r.Family, Beta: r.Beta, Dim: r.Dim, Facts: r.Facts})
			logs = append(logs, nil)
		}
		logs[i] = append(logs[i], math.Log(float64(c.Of(r))/float64(c.Of(o))))
		if why := cmp.Or(r.Capped(), o.Capped()); why != "" {
			out[i].Capped = why
		}
	}
	for i := range out {
		l := logs[i]
		s := 0.0
		for _, x := range l {
			s += x
		}
		out[i].Seeds = len(l)
		out[i].Mean = math.Exp(s / float64(len(l)))
		out[i].Min, out[i].Max = math.Exp(slices.Min(l)), math.Exp(slices.Max(l))
	}
	return out
}

// RatioSpan is the smallest and largest per-seed ratio over rs (0, 0 when
// rs is empty).
func RatioSpan(rs []Ratio) (lo, hi float64) {
	for i, r := range rs {
		if i == 0 || r.Min < lo {
			lo = r.Min
		}
		if i == 0 || r.Max > hi {
			hi = r.Max
		}
	}
	return lo, hi
}

// BuildTime is the time one method took to build and verify its smallest
// storing MLP (the width search's trial at MinHidden), over seeds.
type BuildTime struct {
	Method string  `table:"method"`
	Dim    int     `table:"d"`
	Facts  int     `table:"F"`
	Seeds  int     `table:"seeds"`
	Mean   float64 `table:"seconds (mean)" fmt:"%.3g"`
	Min    float64 `table:"min" fmt:"%.3g"`
	Max    float64 `table:"max" fmt:"%.3g"`
	Search float64 `table:"whole search, s (mean)" fmt:"%.3g"`
}

// BuildTimes lists, per method and (d, F), the seconds of the trial at the
// smallest storing width and of the whole search; records that did not
// store, or whose trial came from the cache, are left out.
func BuildTimes(recs []Record, methods []string) []BuildTime {
	var out []BuildTime
	for _, m := range methods {
		index := map[[2]int]int{}
		var secs, search [][]float64
		start := len(out)
		for _, r := range Select(recs, m) {
			i := slices.IndexFunc(r.Trials, func(t Trial) bool { return t.Hidden == r.MinHidden && t.Stored && !t.Cached })
			if !r.Found || i < 0 {
				continue
			}
			k := [2]int{r.Dim, r.Facts}
			j, ok := index[k]
			if !ok {
				j = len(secs)
				index[k] = j
				out = append(out, BuildTime{Method: m, Dim: r.Dim, Facts: r.Facts})
				secs, search = append(secs, nil), append(search, nil)
			}
			secs[j] = append(secs[j], r.Trials[i].Seconds)
			search[j] = append(search[j], r.Seconds)
		}
		for j := range secs {
			b := &out[start+j]
			b.Seeds, b.Mean, b.Min, b.Max = len(secs[j]), mean(secs[j]), slices.Min(secs[j]), slices.Max(secs[j])
			b.Search = mean(search[j])
		}
	}
	return out
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// LargestStored is the largest F at which every record of method (by
// Label) stored its facts, 0 if none.
func LargestStored(recs []Record, method string) int {
	all := map[int]bool{}
	for _, r := range Select(recs, method) {
		if prev, seen := all[r.Facts]; !seen || prev {
			all[r.Facts] = r.Found
		}
	}
	n := 0
	for f, ok := range all {
		if ok && f > n {
			n = f
		}
	}
	return n
}
