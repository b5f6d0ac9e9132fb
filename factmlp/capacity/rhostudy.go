package capacity

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/fit"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// RhoStudy is the paper's Fig. 2 design, cost against decodability ρ: one
// fact-set size F and dimension d, value tables whose ρ is lowered in two
// different ways (spiked values, which crowd every value towards one
// direction, and midpoint triples, which make some values barely decodable
// while the table stays spread over ℝ^d), measured with the closed-form
// constructions on a dense grid and with the trained methods on a subset.
type RhoStudy struct {
	Facts, Dim int
	// Families of the constructions (RhoConstructions), besides spherical.
	Betas  []float64 // spiked β
	Angles []float64 // midpoint angles in degrees (ρ ≈ sin(angle/4))
	// Families of the trained methods (RhoTrained), besides spherical.
	TrainedBetas, TrainedAngles []float64
	Seeds                       []uint64
	GD                          GD
	// Keys "spherical" draws isotropic keys (only the values change with
	// the family); "" ties keys to values.
	Keys string
	// MaxHidden bounds each method's width search; a point that stores at
	// no width up to it is capped (not found, never fitted).
	MaxHidden map[string]int
	RelTol    float64 // width tolerance of the trained methods' searches
}

// RhoConstructions are the closed-form methods of the study: the
// encoder–decoder without code refinement (the plain JL decoder, whose
// code dimension theory ties to ρ⁻²), with refinement, and the NTK baseline.
var RhoConstructions = []string{"encdec-norefine", "encdec", "ntk"}

// RhoTrained are the trained methods of the study; gd runs with CE and MSE.
var RhoTrained = []string{"gd", "encdec-gd"}

// RhoSeries are the series labels of the study, in plotting order.
var RhoSeries = []string{"encdec-norefine", "encdec", "encdec-gd", "gd", "gd-mse", "ntk"}

// RhoStudyAt returns the study of a notebook scale: "smoke", "fast" or
// "paper".
func RhoStudyAt(scale string) (RhoStudy, error) {
	gd := GD{LR: 1e-2, Epochs: 2000}
	s := RhoStudy{Keys: "spherical", Seeds: []uint64{1, 2, 3}, GD: gd, RelTol: 0.05}
	switch scale {
	case "smoke":
		s.Facts, s.Dim = 48, 48
		s.Betas, s.Angles = []float64{10, 60}, []float64{70, 110}
		s.TrainedBetas, s.TrainedAngles = []float64{60}, []float64{70}
		s.GD.Epochs = 500
	case "fast":
		s.Facts, s.Dim = 192, 192
		s.Betas, s.Angles = []float64{10, 20, 35, 60, 100}, []float64{60, 70, 80, 95, 115}
		s.TrainedBetas, s.TrainedAngles = []float64{20, 60}, []float64{70}
	case "paper":
		s.Facts, s.Dim = 512, 512
		s.Betas, s.Angles = []float64{10, 20, 35, 60, 100, 150}, []float64{55, 60, 70, 80, 95, 115}
		s.TrainedBetas, s.TrainedAngles = s.Betas, s.Angles
		s.GD = GD{LR: 1e-3, Epochs: 10000} // the successor's GD budget
	default:
		return RhoStudy{}, fmt.Errorf("capacity: rho study scale %q; accepted: smoke, fast, paper", scale)
	}
	s.MaxHidden = map[string]int{"ntk": 16 * s.Dim, "gd": 4 * s.Dim, "encdec-gd": 4 * s.Dim}
	return s, nil
}

// Families returns spherical, then the spiked and the midpoint families.
func (s RhoStudy) Families(betas, angles []float64) []Family {
	fams := []Family{{Family: factset.FamilySpherical, Keys: s.Keys}}
	for _, b := range betas {
		fams = append(fams, Family{Family: factset.FamilySpiked, Beta: b, Keys: s.Keys})
	}
	for _, a := range angles {
		fams = append(fams, Family{Family: factset.FamilyMidpoints, Angle: a, Keys: s.Keys})
	}
	return fams
}

// Configs returns the two sweeps of the study: the constructions on every
// family, and the trained methods (gd with CE and MSE, encdec-gd with its
// default MSE) on the trained families. `factmlp sweep` runs either from
// its JSON file.
func (s RhoStudy) Configs() []Config {
	maxFor := func(ms []string) map[string]int {
		out := map[string]int{}
		for _, m := range ms {
			if v, ok := s.MaxHidden[m]; ok {
				out[m] = v
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	base := Config{Facts: []int{s.Facts}, Dims: []int{s.Dim}, Seeds: s.Seeds}
	cons := base
	cons.Methods, cons.Families, cons.MaxHidden = RhoConstructions, s.Families(s.Betas, s.Angles), maxFor(RhoConstructions)
	tr := base
	tr.Methods, tr.Families, tr.MaxHidden = RhoTrained, s.Families(s.TrainedBetas, s.TrainedAngles), maxFor(RhoTrained)
	tr.GD, tr.RelTol, tr.Losses = s.GD, s.RelTol, map[string][]string{"gd": {"ce", "mse"}}
	return []Config{cons, tr}
}

// CodeDim is the code dimension the decode check needs on one value table:
// the smallest m at which a drawn projection decodes every value, with
// codes R·u* (M) and with refined codes (MRefined), against the JL
// prediction 2·ln|V|/ρ².
type CodeDim struct {
	Family   string  `table:"family"`
	Beta     float64 `table:"β"`
	Angle    float64 `table:"angle°"`
	Seed     uint64  `table:"seed"`
	Rho      float64 `table:"ρ" fmt:"%.3f"`
	M        int     `table:"m (R·u*)"`
	MRefined int     `table:"m (refined)"`
	JL       float64 `table:"2ln|V|/ρ²" fmt:"%.1f"`
	Dim      int     `table:"d"`
}

// Capped reports that the plain decoder needed every dimension (m = d):
// the decoder is the identity and m no longer depends on ρ.
func (c CodeDim) Capped() bool { return c.M >= c.Dim }

// CodeDims measures the decode check's code dimension on every value table
// of the constructions' grid (values only: keys play no part), cached per
// table and seed.
func (s RhoStudy) CodeDims(cache *Cache, prog progress.Func) ([]CodeDim, error) {
	fams := s.Families(s.Betas, s.Angles)
	seeds := s.Seeds
	if len(seeds) == 0 {
		seeds = []uint64{1}
	}
	var out []CodeDim
	total := len(fams) * len(seeds)
	for i, f := range fams {
		for j, seed := range seeds {
			prog.Report(i*len(seeds)+j, total, fmt.Sprintf("code dimension %s β=%g angle=%g seed %d", f.Family, f.Beta, f.Angle, seed))
			spec := f.Spec(s.Facts, s.Dim, seed)
			type key struct {
				Spec factset.Spec
				Kind string
			}
			var c CodeDim
			if ok, err := cache.Load("codedim", key{spec, "v1"}, &c); err != nil {
				return nil, err
			} else if !ok {
				var err error
				if c, err = measureCodeDim(spec, seed); err != nil {
					return nil, err
				}
				if err := cache.Store("codedim", key{spec, "v1"}, c); err != nil {
					return nil, err
				}
			}
			out = append(out, c)
		}
	}
	prog.Report(total, total, "done")
	return out, nil
}

func measureCodeDim(spec factset.Spec, seed uint64) (CodeDim, error) {
	fs, err := spec.Generate()
	if err != nil {
		return CodeDim{}, err
	}
	sep, err := construction.ComputeSeparators(fs)
	if err != nil {
		return CodeDim{}, err
	}
	plain, err := construction.MinDecoder(sep, fs.Values, seed, construction.DecoderOptions{NoRefine: true})
	if err != nil {
		return CodeDim{}, err
	}
	refined, err := construction.MinDecoder(sep, fs.Values, seed, construction.DecoderOptions{})
	if err != nil {
		return CodeDim{}, err
	}
	s, _ := spec.Normalize()
	c := CodeDim{Family: s.Family, Seed: seed, Rho: sep.Rho, M: plain.M, MRefined: refined.M, Dim: fs.Dim(),
		JL: 2 * math.Log(float64(fs.NumValues())) / (sep.Rho * sep.Rho)}
	switch s.Family {
	case factset.FamilySpiked:
		c.Beta = s.Beta
	case factset.FamilyMidpoints:
		c.Angle = s.Angle
	}
	return c, nil
}

// FamilyKey names a record's or code dimension's family with its parameter,
// e.g. "spiked β=20", "midpoints 70°", "spherical".
func FamilyKey(family string, beta, angle float64) string {
	switch {
	case family == factset.FamilySpiked:
		return fmt.Sprintf("spiked β=%g", beta)
	case family == factset.FamilyMidpoints:
		return fmt.Sprintf("midpoints %g°", angle)
	}
	return family
}

// Capped reports whether a record of the study must not be fitted: no
// width up to the search limit stored the facts, or the method is an
// encoder–decoder and its decoder needed every dimension (m = d) on this
// table and seed (the cost no longer depends on ρ). dims are the study's
// CodeDims.
func Capped(r Record, dims []CodeDim) bool {
	if !r.Found {
		return true
	}
	if !strings.HasPrefix(r.Method, "encdec") {
		return false
	}
	for _, c := range dims {
		if c.Family == r.Family && c.Beta == r.Beta && c.Angle == r.Angle && c.Seed == r.Seed && c.Dim == r.Dim {
			if r.Method == "encdec-norefine" {
				return c.M >= c.Dim
			}
			return c.MRefined >= c.Dim
		}
	}
	return false
}

// RhoFit is one series' power law params = C·ρ^slope over its uncapped
// records (one point per table and seed), with the records left out.
type RhoFit struct {
	Method string `table:"method"`
	fit.Line
	Dropped string `table:"not fitted (capped)"`
	Err     string `table:"no fit because"`
}

// RhoFits fits every series over its records that capped does not reject;
// the dropped records are named by family and seed.
func RhoFits(recs []Record, series []string, capped func(Record) bool) []RhoFit {
	out := make([]RhoFit, 0, len(series))
	for _, m := range series {
		var xs, ys []float64
		var dropped []string
		for _, r := range recs {
			if r.Label() != m {
				continue
			}
			if capped(r) {
				dropped = append(dropped, fmt.Sprintf("%s s%d", FamilyKey(r.Family, r.Beta, r.Angle), r.Seed))
				continue
			}
			xs, ys = append(xs, r.Rho), append(ys, float64(r.MinParams))
		}
		f := RhoFit{Method: m, Dropped: strings.Join(dropped, ", ")}
		if f.Dropped == "" {
			f.Dropped = "—"
		}
		var err error
		if f.Line, err = fit.PowerLaw(xs, ys); err != nil {
			f.Err = err.Error()
		}
		out = append(out, f)
	}
	return out
}

// CodeDimFits fits m = C·ρ^slope over the uncapped tables: plain codes
// R·u* over every family, over the spiked and over the midpoint tables
// alone (each with spherical, the ρ at which both families start), and
// refined codes over every family.
func CodeDimFits(dims []CodeDim) []RhoFit {
	type variant struct {
		name    string
		refined bool
		family  string // "" for every family
	}
	var out []RhoFit
	for _, v := range []variant{{"m (R·u*), all tables", false, ""}, {"m (R·u*), spherical + spiked", false, factset.FamilySpiked},
		{"m (R·u*), spherical + midpoints", false, factset.FamilyMidpoints}, {"m (refined), all tables", true, ""}} {
		var xs, ys []float64
		var dropped []string
		for _, c := range dims {
			if v.family != "" && c.Family != v.family && c.Family != factset.FamilySpherical {
				continue
			}
			m := c.M
			if v.refined {
				m = c.MRefined
			}
			if m >= c.Dim {
				dropped = append(dropped, fmt.Sprintf("%s s%d", FamilyKey(c.Family, c.Beta, c.Angle), c.Seed))
				continue
			}
			xs, ys = append(xs, c.Rho), append(ys, float64(m))
		}
		f := RhoFit{Method: v.name, Dropped: strings.Join(dropped, ", ")}
		if f.Dropped == "" {
			f.Dropped = "—"
		}
		var err error
		if f.Line, err = fit.PowerLaw(xs, ys); err != nil {
			f.Err = err.Error()
		}
		out = append(out, f)
	}
	return out
}

// JLRatioEnds returns the mean of m/(2·ln|V|/ρ²) of the plain decoder
// over the uncapped tables of the largest and of the smallest ρ group
// (tables within 2% of the extreme ρ).
func JLRatioEnds(dims []CodeDim) (atHigh, atLow, rhoHigh, rhoLow float64) {
	rhoLow, rhoHigh = math.Inf(1), math.Inf(-1)
	for _, c := range dims {
		if !c.Capped() {
			rhoLow, rhoHigh = math.Min(rhoLow, c.Rho), math.Max(rhoHigh, c.Rho)
		}
	}
	var nh, nl float64
	for _, c := range dims {
		if c.Capped() {
			continue
		}
		if c.Rho >= rhoHigh*0.98 {
			atHigh += float64(c.M) / c.JL
			nh++
		}
		if c.Rho <= rhoLow*1.02 {
			atLow += float64(c.M) / c.JL
			nl++
		}
	}
	return atHigh / nh, atLow / nl, rhoHigh, rhoLow
}

// JLRatios returns the smallest and largest m/(2·ln|V|/ρ²) of the plain
// decoder over the uncapped tables.
func JLRatios(dims []CodeDim) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range dims {
		if !c.Capped() {
			r := float64(c.M) / c.JL
			lo, hi = math.Min(lo, r), math.Max(hi, r)
		}
	}
	return lo, hi
}

// BudgetCheck is the CE-GD budget sweep: gd's smallest width on a few
// families at every (learning rate, epochs) pair, to tell a width that is
// converged from one that a longer or slower schedule would lower.
type BudgetCheck struct {
	Study     RhoStudy
	Betas     []float64 // spiked families (besides spherical)
	Angles    []float64 // midpoint families
	Schedules []Schedule
	Loss      string // default "ce"
}

// Schedule is one GD budget: peak learning rate and epochs.
type Schedule struct {
	LR     float64
	Epochs int
}

// BudgetCheckAt is the budget check of a scale: the spherical and the
// first trained midpoint family of the study under the study's schedule
// (lr 1e-2, 2000 epochs at fast), five times the epochs, and the
// successor's schedule (lr 1e-3, 10,000 epochs).
func BudgetCheckAt(scale string) (BudgetCheck, error) {
	s, err := RhoStudyAt(scale)
	if err != nil {
		return BudgetCheck{}, err
	}
	b := BudgetCheck{Study: s, Angles: s.TrainedAngles[:1], Loss: "ce",
		Schedules: []Schedule{{s.GD.LR, s.GD.Epochs}, {s.GD.LR, 5 * s.GD.Epochs}, {1e-3, 10000}}}
	if scale == "smoke" {
		b.Schedules[2].Epochs = 1000
	}
	return b, nil
}

// Configs returns one gd sweep per schedule, in order.
func (b BudgetCheck) Configs() []Config {
	var out []Config
	s := b.Study
	for _, sc := range b.Schedules {
		g := s.GD
		g.LR, g.Epochs, g.Loss = sc.LR, sc.Epochs, cmpOr(b.Loss, "ce")
		out = append(out, Config{Methods: []string{"gd"}, Facts: []int{s.Facts}, Dims: []int{s.Dim}, Seeds: s.Seeds,
			Families: s.Families(b.Betas, b.Angles), GD: g, RelTol: s.RelTol, MaxHidden: map[string]int{"gd": s.MaxHidden["gd"]}})
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// BudgetRow is one (family, lr, epochs) of the budget check: the smallest
// width per seed.
type BudgetRow struct {
	Family  string  `table:"family"`
	Rho     float64 `table:"mean ρ" fmt:"%.3f"`
	LR      float64 `table:"lr"`
	Epochs  int     `table:"epochs"`
	Widths  string  `table:"width per seed"`
	Mean    float64 `table:"mean width" fmt:"%.2f"`
	Capped  int     `table:"seeds not stored"`
	Seconds float64 `table:"seconds (wall, all seeds)" fmt:"%.0f"`
}

// RunBudget sweeps every schedule of b and tabulates the widths.
func (b BudgetCheck) RunBudget(opts SweepOptions) ([]BudgetRow, error) {
	var rows []BudgetRow
	for _, c := range b.Configs() {
		recs, err := Sweep(c, opts)
		if err != nil {
			return nil, err
		}
		byFam := map[string][]Record{}
		var order []string
		for _, r := range recs {
			k := FamilyKey(r.Family, r.Beta, r.Angle)
			if _, ok := byFam[k]; !ok {
				order = append(order, k)
			}
			byFam[k] = append(byFam[k], r)
		}
		for _, k := range order {
			row := BudgetRow{Family: k, LR: c.GD.LR, Epochs: c.GD.Epochs}
			var ws []string
			var sum float64
			n := 0
			for _, r := range byFam[k] {
				row.Rho += r.Rho / float64(len(byFam[k]))
				row.Seconds += r.Seconds
				if !r.Found {
					ws, row.Capped = append(ws, "—"), row.Capped+1
					continue
				}
				ws = append(ws, fmt.Sprint(r.MinHidden))
				sum += float64(r.MinHidden)
				n++
			}
			row.Widths = strings.Join(ws, "/")
			row.Mean = math.NaN()
			if n > 0 {
				row.Mean = sum / float64(n)
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// RhoGroup is one series' records on one family: mean ρ and the cost's
// mean, minimum and maximum over seeds, and whether any seed is capped.
type RhoGroup struct {
	Series, Family     string
	Rho                float64
	Mean, Min, Max     float64
	Seeds, CappedSeeds int
	RhoMin, RhoMax     float64
}

// RhoGroups groups the records of each series by family (uncapped seeds
// only in the cost statistics), sorted by series then ρ.
func RhoGroups(recs []Record, series []string, capped func(Record) bool) []RhoGroup {
	type key struct{ s, f string }
	acc := map[key]*RhoGroup{}
	var keys []key
	for _, r := range recs {
		s := r.Label()
		if !slices.Contains(series, s) {
			continue
		}
		k := key{s, FamilyKey(r.Family, r.Beta, r.Angle)}
		g, ok := acc[k]
		if !ok {
			g = &RhoGroup{Series: s, Family: k.f, Min: math.Inf(1), Max: math.Inf(-1), RhoMin: math.Inf(1), RhoMax: math.Inf(-1)}
			acc[k] = g
			keys = append(keys, k)
		}
		g.Rho += r.Rho
		g.RhoMin, g.RhoMax = math.Min(g.RhoMin, r.Rho), math.Max(g.RhoMax, r.Rho)
		if capped(r) {
			g.CappedSeeds++
			continue
		}
		p := float64(r.MinParams)
		g.Mean += p
		g.Min, g.Max = math.Min(g.Min, p), math.Max(g.Max, p)
		g.Seeds++
	}
	out := make([]RhoGroup, 0, len(keys))
	for _, k := range keys {
		g := acc[k]
		g.Rho /= float64(g.Seeds + g.CappedSeeds)
		if g.Seeds > 0 {
			g.Mean /= float64(g.Seeds)
		} else {
			g.Mean, g.Min, g.Max = math.NaN(), math.NaN(), math.NaN()
		}
		out = append(out, *g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		si, sj := slices.Index(series, out[i].Series), slices.Index(series, out[j].Series)
		if si != sj {
			return si < sj
		}
		return out[i].Rho < out[j].Rho
	})
	return out
}

// Against says how the fitted slope compares with want given its 95% CI:
// "consistent with −2", "steeper than −2" or "shallower than −2" (or "no
// fit").
func (f RhoFit) Against(want float64) string {
	switch {
	case f.Err != "" || f.N < 3:
		return "no fit"
	case f.CILow <= want && want <= f.CIHigh:
		return fmt.Sprintf("consistent with %s", signed(want))
	case f.CIHigh < want:
		return fmt.Sprintf("steeper than %s", signed(want))
	}
	return fmt.Sprintf("shallower than %s", signed(want))
}

func signed(x float64) string { return strings.Replace(fmt.Sprintf("%g", x), "-", "−", 1) }

// DescribeFits is one line per series: slope, CI, R², points and how the slope
// compares with want, e.g. "encdec-norefine: ρ^−1.93 [−2.10, −1.76],
// R² 0.95, 30 points: consistent with −2".
func DescribeFits(fits []RhoFit, want float64) string {
	var b strings.Builder
	for _, f := range fits {
		if f.Err != "" {
			fmt.Fprintf(&b, "- %s: no fit (%s)\n", f.Method, f.Err)
			continue
		}
		fmt.Fprintf(&b, "- %s: ρ^%s [%s, %s], R² %.2f, %d points: %s\n", f.Method, signedF(f.Slope), signedF(f.CILow), signedF(f.CIHigh),
			f.R2, f.N, f.Against(want))
	}
	return b.String()
}

func signedF(x float64) string { return strings.Replace(fmt.Sprintf("%.2f", x), "-", "−", 1) }

// BudgetVerdict reads a budget check: per family, the mean width at the
// first (default) budget and the smallest mean width any budget reached,
// and whether the width is converged (no budget lowers it by a full unit).
func BudgetVerdict(rows []BudgetRow) string {
	var b strings.Builder
	var order []string
	byFam := map[string][]BudgetRow{}
	for _, r := range rows {
		if _, ok := byFam[r.Family]; !ok {
			order = append(order, r.Family)
		}
		byFam[r.Family] = append(byFam[r.Family], r)
	}
	for _, fam := range order {
		rs := byFam[fam]
		base, best := rs[0], rs[0]
		for _, r := range rs[1:] {
			if r.Capped < best.Capped || (r.Capped == best.Capped && r.Mean < best.Mean) {
				best = r
			}
		}
		verdict := "converged: no schedule lowers the mean width by a full unit"
		if base.Capped > best.Capped || base.Mean-best.Mean >= 1 {
			verdict = "not converged: a longer or slower schedule stores with fewer units"
		}
		fmt.Fprintf(&b, "- %s (ρ = %.3f): mean width %.2f at lr %g, %d epochs (%d seeds not stored); best %.2f at lr %g, %d epochs (%d not stored): %s\n",
			fam, base.Rho, base.Mean, base.LR, base.Epochs, base.Capped, best.Mean, best.LR, best.Epochs, best.Capped, verdict)
	}
	return b.String()
}

// RhoGroupRow is a RhoGroup as a table row.
type RhoGroupRow struct {
	Series string  `table:"series"`
	Family string  `table:"family"`
	Rho    float64 `table:"mean ρ" fmt:"%.3f"`
	Mean   string  `table:"mean params"`
	Range  string  `table:"min–max"`
	Seeds  int     `table:"seeds fitted"`
	Capped int     `table:"seeds capped"`
}

// RhoGroupRows turns groups into table rows ("—" where every seed is capped).
func RhoGroupRows(groups []RhoGroup) []RhoGroupRow {
	out := make([]RhoGroupRow, len(groups))
	for i, g := range groups {
		r := RhoGroupRow{Series: g.Series, Family: g.Family, Rho: g.Rho, Mean: "—", Range: "—", Seeds: g.Seeds, Capped: g.CappedSeeds}
		if g.Seeds > 0 {
			r.Mean, r.Range = fmt.Sprintf("%.0f", g.Mean), fmt.Sprintf("%.0f–%.0f", g.Min, g.Max)
		}
		out[i] = r
	}
	return out
}

// CodeDimGroup is one value family's code dimensions, averaged over seeds.
type CodeDimGroup struct {
	Family   string  `table:"family"`
	Rho      float64 `table:"mean ρ" fmt:"%.3f"`
	M        float64 `table:"mean m (R·u*)" fmt:"%.1f"`
	MRefined float64 `table:"mean m (refined)" fmt:"%.1f"`
	Gain     float64 `table:"m / m refined" fmt:"%.2f"`
	JL       float64 `table:"2ln|V|/ρ²" fmt:"%.1f"`
	Capped   int     `table:"seeds with m = d"`
}

// CodeDimGroups averages the code dimensions of each family over seeds,
// in the order the families first appear.
func CodeDimGroups(dims []CodeDim) []CodeDimGroup {
	var out []CodeDimGroup
	idx := map[string]int{}
	n := map[string]float64{}
	for _, c := range dims {
		k := FamilyKey(c.Family, c.Beta, c.Angle)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, CodeDimGroup{Family: k})
		}
		g := &out[i]
		g.Rho, g.M, g.MRefined, g.JL = g.Rho+c.Rho, g.M+float64(c.M), g.MRefined+float64(c.MRefined), g.JL+c.JL
		if c.Capped() {
			g.Capped++
		}
		n[k]++
	}
	for i := range out {
		k := n[out[i].Family]
		out[i].Rho, out[i].M, out[i].MRefined, out[i].JL = out[i].Rho/k, out[i].M/k, out[i].MRefined/k, out[i].JL/k
		out[i].Gain = out[i].M / out[i].MRefined
	}
	return out
}

// HiddenPerCodeDim returns the smallest and largest ratio of the found
// width of a series' records to the code dimension its decoder needs
// (M for encdec-norefine, MRefined otherwise) on the same table and seed:
// the units per code coordinate the construction ended up with.
func HiddenPerCodeDim(recs []Record, series string, dims []CodeDim) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, r := range recs {
		if r.Label() != series || !r.Found {
			continue
		}
		for _, c := range dims {
			if c.Family == r.Family && c.Beta == r.Beta && c.Angle == r.Angle && c.Seed == r.Seed && c.Dim == r.Dim {
				m := c.MRefined
				if series == "encdec-norefine" {
					m = c.M
				}
				x := float64(r.MinHidden) / float64(m)
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	return lo, hi
}
