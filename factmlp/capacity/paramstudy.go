package capacity

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/factmlp/factmlp/factmlp/fit"
)

// This file reads a facts-per-parameter sweep (the paper's Fig. 3): which
// points can enter a scaling fit, the slopes per method and dimension under
// both parameter counts, bits per parameter, and the trend of one method's
// cost over another's.

// Capped returns why r's cost is not a point of a scaling law, or "" when it
// is one: no width up to the search limit stored the facts, the smallest
// storing width is the search limit, or the encoder–decoder's code dimension
// m reached d (its decoder is then a full-rank d×d map: the cost is that of
// interpolating the values, not the construction's asymptotics).
func (r Record) Capped() string {
	switch {
	case !r.Found && r.MaxHidden > 0:
		return fmt.Sprintf("no width ≤ %d stores", r.MaxHidden)
	case !r.Found:
		return "no width stores"
	case r.MaxHidden > 0 && r.MinHidden >= r.MaxHidden:
		return fmt.Sprintf("width at the search limit %d", r.MaxHidden)
	case r.CodeDim > 0 && r.CodeDim >= r.Dim:
		return fmt.Sprintf("code dimension m = d = %d", r.Dim)
	}
	return ""
}

// ParamCount names which parameters a cost counts (paper.md §1.3).
type ParamCount string

const (
	// AllStored counts every stored matrix (the successor code's count).
	AllStored ParamCount = "all stored"
	// WithoutSeeded leaves out the matrices regenerated from the seed (the
	// encoder–decoder's gate and decoder, the NTK's gate and down
	// projection; GD has none).
	WithoutSeeded ParamCount = "without seeded"
)

// Of returns r's cost under c (0 when r did not store). A record written
// before ParamsWithoutSeeded existed counts as MinParams under both.
func (c ParamCount) Of(r Record) int {
	if !r.Found {
		return 0
	}
	if c == WithoutSeeded && r.ParamsWithoutSeeded > 0 {
		return r.ParamsWithoutSeeded
	}
	return r.MinParams
}

// check reports an unknown count.
func (c ParamCount) check() error {
	if c != AllStored && c != WithoutSeeded {
		return fmt.Errorf("capacity: parameter count %q; accepted: %q, %q", string(c), AllStored, WithoutSeeded)
	}
	return nil
}

// Bits is the information of r's fact map, F·log₂|V| bits (an arbitrary
// map from F keys to |V| values).
func (r Record) Bits() float64 { return float64(r.Facts) * math.Log2(float64(r.Values)) }

// BitsPerParam is Bits over the cost under c (0 when r did not store).
func (r Record) BitsPerParam(c ParamCount) float64 {
	p := c.Of(r)
	if p == 0 {
		return 0
	}
	return r.Bits() / float64(p)
}

// ScalingFit is one method's facts-vs-params power law at one dimension,
// F = C·params^slope, fitted on the per-seed points that are neither capped
// nor below the fit's smallest F, with the points it left out and why.
type ScalingFit struct {
	Method string     `table:"method"`
	Dim    int        `table:"d"`
	Count  ParamCount `table:"params counted"`
	fit.Line
	Facts  string   `table:"F fitted"`
	Left   string   `table:"left out"`
	Err    string   `table:"no fit because"`
	Points []Record `table:"-"` // the records fitted
}

// FitFactsPerParam fits every method at every dimension of recs (by
// Record.Label) under each count, on the uncapped records with
// F ≥ minFactsPerDim·d. Dimensions are ascending; a (method, d) without
// two distinct F to fit keeps its row with Err set.
func FitFactsPerParam(recs []Record, methods []string, minFactsPerDim float64, counts ...ParamCount) ([]ScalingFit, error) {
	if !(minFactsPerDim >= 0) || math.IsInf(minFactsPerDim, 0) {
		return nil, fmt.Errorf("capacity: smallest fitted F per d %g; it must be finite and ≥ 0", minFactsPerDim)
	}
	if len(counts) == 0 {
		counts = []ParamCount{AllStored}
	}
	for _, c := range counts {
		if err := c.check(); err != nil {
			return nil, err
		}
	}
	var out []ScalingFit
	for _, d := range Dims(recs) {
		minFacts := int(math.Ceil(minFactsPerDim * float64(d)))
		for _, c := range counts {
			for _, m := range methods {
				f := ScalingFit{Method: m, Dim: d, Count: c}
				var left []string
				below := 0
				for _, r := range Select(AtDim(recs, d), m) {
					switch {
					case r.Capped() != "":
					case r.Facts < minFacts:
						below++
					default:
						f.Points = append(f.Points, r)
					}
				}
				if below > 0 {
					left = append(left, fmt.Sprintf("%d below F = %d", below, minFacts))
				}
				left = append(left, cappedSummary(AtDim(recs, d), m)...)
				f.Left = strings.Join(left, "; ")
				if len(f.Points) > 0 {
					f.Facts = fmt.Sprintf("%d…%d", f.Points[0].Facts, f.Points[len(f.Points)-1].Facts)
				}
				line, err := fitCounted(f.Points, m, c)
				f.Line = line
				if err != nil {
					f.Err = err.Error()
				}
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// fitCounted fits facts = C·params^slope on recs (already selected), which
// must hold at least two distinct F.
func fitCounted(recs []Record, method string, c ParamCount) (Fit, error) {
	var xs, ys []float64
	distinct := map[int]bool{}
	for _, r := range recs {
		xs, ys = append(xs, float64(c.Of(r))), append(ys, float64(r.Facts))
		distinct[r.Facts] = true
	}
	if len(distinct) < 2 {
		return Fit{}, fmt.Errorf("capacity: %s has %d uncapped found points at %d distinct F; a slope needs 2 distinct F", method, len(xs), len(distinct))
	}
	return twoFactsNoCI(fit.PowerLaw(xs, ys))(len(distinct))
}

// twoFactsNoCI widens the slope's confidence interval to (−∞, +∞) when
// the fit rests on two distinct F: the line then passes through the two
// groups' means and the seeds' spread (often none: same width on every
// seed) says nothing about the slope's error, so a CI from it would be
// falsely narrow.
func twoFactsNoCI(l fit.Line, err error) func(distinct int) (fit.Line, error) {
	return func(distinct int) (fit.Line, error) {
		if err == nil && distinct == 2 {
			l.CILow, l.CIHigh = math.Inf(-1), math.Inf(1)
		}
		return l, err
	}
}

// cappedSummary names the capped records of method, grouped by F and reason:
// "F=4096 (3 seeds): code dimension m = d = 64".
func cappedSummary(recs []Record, method string) []string {
	type key struct {
		facts  int
		reason string
	}
	n := map[key]int{}
	var keys []key
	for _, r := range recs {
		if r.Label() != method || r.Capped() == "" {
			continue
		}
		k := key{r.Facts, r.Capped()}
		if n[k] == 0 {
			keys = append(keys, k)
		}
		n[k]++
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].facts < keys[j].facts })
	out := make([]string, len(keys))
	for i, k := range keys {
		seeds := "seeds"
		if n[k] == 1 {
			seeds = "seed"
		}
		out[i] = fmt.Sprintf("F=%d (%d %s): %s", k.facts, n[k], seeds, k.reason)
	}
	return out
}

// Dims lists the dimensions of recs, ascending.
func Dims(recs []Record) []int {
	var ds []int
	for _, r := range recs {
		if !slices.Contains(ds, r.Dim) {
			ds = append(ds, r.Dim)
		}
	}
	slices.Sort(ds)
	return ds
}

// AtDim returns the records of recs at dimension d, in order.
func AtDim(recs []Record, d int) []Record {
	var out []Record
	for _, r := range recs {
		if r.Dim == d {
			out = append(out, r)
		}
	}
	return out
}

// Efficiency is one method's bits per parameter at one (d, F), over seeds.
type Efficiency struct {
	Method string  `table:"method"`
	Dim    int     `table:"d"`
	Facts  int     `table:"F"`
	Seeds  int     `table:"seeds stored"`
	Params float64 `table:"params (mean)" fmt:"%.0f"`
	// Bits per parameter with every stored matrix counted: mean, min, max over seeds.
	Bits    float64 `table:"bits/param" fmt:"%.3g"`
	BitsMin float64 `table:"min" fmt:"%.3g"`
	BitsMax float64 `table:"max" fmt:"%.3g"`
	// Mean bits per parameter without the seeded matrices.
	BitsWithoutSeeded float64 `table:"bits/param w/o seeded" fmt:"%.3g"`
	Capped            string  `table:"capped"` // why some seed's point is capped ("" if none)
}

// Efficiencies lists, per method (by label), dimension and F, the bits per
// parameter over the seeds that stored; a (d, F) where no seed stored is left
// out (its records are capped: Record.Capped).
func Efficiencies(recs []Record, methods []string) []Efficiency {
	var out []Efficiency
	for _, m := range methods {
		type key struct{ dim, facts int }
		type acc struct {
			all, unseeded, params []float64
			capped                string
		}
		accs := map[key]*acc{}
		var keys []key
		for _, r := range recs {
			if r.Label() != m {
				continue
			}
			k := key{r.Dim, r.Facts}
			a := accs[k]
			if a == nil {
				a = &acc{}
				accs[k] = a
				keys = append(keys, k)
			}
			if c := r.Capped(); c != "" {
				a.capped = c
			}
			if r.Found {
				a.all = append(a.all, r.BitsPerParam(AllStored))
				a.unseeded = append(a.unseeded, r.BitsPerParam(WithoutSeeded))
				a.params = append(a.params, float64(r.MinParams))
			}
		}
		for _, k := range keys {
			a := accs[k]
			if len(a.all) == 0 {
				continue
			}
			out = append(out, Efficiency{Method: m, Dim: k.dim, Facts: k.facts, Seeds: len(a.all), Params: mean(a.params),
				Bits: mean(a.all), BitsMin: slices.Min(a.all), BitsMax: slices.Max(a.all),
				BitsWithoutSeeded: mean(a.unseeded), Capped: a.capped})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Method != out[j].Method {
			return slices.Index(methods, out[i].Method) < slices.Index(methods, out[j].Method)
		}
		if out[i].Dim != out[j].Dim {
			return out[i].Dim < out[j].Dim
		}
		return out[i].Facts < out[j].Facts
	})
	return out
}

// BitsRange is the smallest and largest mean bits per parameter (all
// stored) of method over the uncapped F ≥ minFacts of recs, from
// Efficiencies; n is how many (d, F) it covered (0: none, lo = hi = 0).
func BitsRange(recs []Record, method string, minFacts int) (lo, hi float64, n int) {
	for _, e := range Efficiencies(recs, []string{method}) {
		if e.Capped != "" || e.Facts < minFacts {
			continue
		}
		if n == 0 || e.Bits < lo {
			lo = e.Bits
		}
		if n == 0 || e.Bits > hi {
			hi = e.Bits
		}
		n++
	}
	return lo, hi, n
}

// RatioTrend fits the per-seed cost ratio method/versus (under count c) as
// a power of F, ratio = C·F^slope, at each dimension, over the fact sets
// where neither record is capped and F ≥ minFactsPerDim·d. A slope near 0
// means the two methods scale alike and differ by a constant factor.
type RatioTrend struct {
	Method string     `table:"method"`
	Versus string     `table:"vs"`
	Dim    int        `table:"d"`
	Count  ParamCount `table:"params counted"`
	fit.Line
	Facts string `table:"F fitted"`
	Err   string `table:"no fit because"`
}

// RatioTrends returns one RatioTrend per dimension of recs.
func RatioTrends(recs []Record, method, versus string, minFactsPerDim float64, c ParamCount) ([]RatioTrend, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if !(minFactsPerDim >= 0) || math.IsInf(minFactsPerDim, 0) {
		return nil, fmt.Errorf("capacity: smallest fitted F per d %g; it must be finite and ≥ 0", minFactsPerDim)
	}
	type key struct {
		facts int
		seed  uint64
	}
	var out []RatioTrend
	for _, d := range Dims(recs) {
		at := AtDim(recs, d)
		minFacts := int(math.Ceil(minFactsPerDim * float64(d)))
		other := map[key]Record{}
		for _, r := range Select(at, versus) {
			other[key{r.Facts, r.Seed}] = r
		}
		t := RatioTrend{Method: method, Versus: versus, Dim: d, Count: c}
		var fs, ratios []float64
		distinct := map[int]bool{}
		for _, r := range Select(at, method) {
			o, ok := other[key{r.Facts, r.Seed}]
			if !ok || r.Capped() != "" || o.Capped() != "" || r.Facts < minFacts {
				continue
			}
			fs, ratios = append(fs, float64(r.Facts)), append(ratios, float64(c.Of(r))/float64(c.Of(o)))
			distinct[r.Facts] = true
		}
		if len(fs) > 0 {
			t.Facts = fmt.Sprintf("%g…%g", slices.Min(fs), slices.Max(fs))
		}
		if len(distinct) < 2 {
			t.Err = fmt.Sprintf("%d uncapped pairs at %d distinct F; a trend needs 2 distinct F", len(fs), len(distinct))
		} else if t.Line, t.Err = mustFit(twoFactsNoCI(fit.PowerLaw(fs, ratios))(len(distinct))); t.Err != "" {
			t.Line = fit.Line{}
		}
		out = append(out, t)
	}
	return out, nil
}

func mustFit(l fit.Line, err error) (fit.Line, string) {
	if err != nil {
		return l, err.Error()
	}
	return l, ""
}

// FitOf returns the fit of method at dimension dim under count c from fits.
func FitOf(fits []ScalingFit, method string, dim int, c ParamCount) (ScalingFit, bool) {
	for _, f := range fits {
		if f.Method == method && f.Dim == dim && f.Count == c {
			return f, true
		}
	}
	return ScalingFit{}, false
}
