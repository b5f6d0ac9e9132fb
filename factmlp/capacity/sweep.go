package capacity

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/fit"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/training"
)

// Family is one embedding family of a sweep (JSON form of the family
// fields of factset.Spec).
type Family struct {
	Family   string  `json:"family"`
	Kappa    float64 `json:"kappa,omitempty"`
	Beta     float64 `json:"beta,omitempty"`
	Clusters int     `json:"clusters,omitempty"`
	Spread   float64 `json:"spread,omitempty"`
	Angle    float64 `json:"angle,omitempty"` // degrees, family "midpoints"
	Untied   bool    `json:"untied,omitempty"`
	// Keys "spherical": keys are independent spherical vectors, only the
	// values follow the family (see Point.Keys).
	Keys string `json:"keys,omitempty"`
}

// Spec returns the fact-set spec of this family with n facts in dimension d.
func (f Family) Spec(n, d int, seed uint64) factset.Spec {
	return factset.Spec{Family: f.Family, N: n, Dim: d, Kappa: f.Kappa, Beta: f.Beta,
		Clusters: f.Clusters, Spread: f.Spread, Angle: f.Angle, Untied: f.Untied, Seed: seed}
}

// Config is a sweep: the grid methods × families × dims × facts × seeds.
type Config struct {
	Methods []string `json:"methods"`
	Facts   []int    `json:"facts"`
	// FactsPerDim2 adds F = round(α·d²) for every α and every dimension
	// (the successor's grid α ∈ {1/32, …, 1}).
	FactsPerDim2 []float64 `json:"facts_per_dim2,omitempty"`
	Dims         []int     `json:"dims"`
	Families     []Family  `json:"families"` // default: spherical
	Seeds        []uint64  `json:"seeds"`    // default: [1]
	// Act maps a method to its gate non-linearity (default per method, see
	// Point.Act).
	Act map[string]string `json:"act,omitempty"`
	GD  GD                `json:"gd,omitzero"`
	// Losses measures a method that trains once per loss listed for it
	// (e.g. {"gd": ["ce", "mse"]}), overriding GD.Loss, so one config holds
	// GD-CE and GD-MSE; methods not listed use GD.Loss.
	Losses map[string][]string `json:"losses,omitempty"`
	Max    int                 `json:"max,omitempty"`
	// MaxHidden overrides Max for a method (e.g. {"gd": 512}): the largest
	// width its search tries; a point that stores at no width up to it is
	// recorded as not found (capped).
	MaxHidden map[string]int `json:"max_hidden,omitempty"`
	RelTol    float64        `json:"rel_tol,omitempty"`
	// MaxFactsPerDim2 skips points with F > MaxFactsPerDim2·d² for a
	// method (e.g. {"ntk": 0.25}); the NTK stores nothing past a point.
	MaxFactsPerDim2 map[string]float64 `json:"max_facts_per_dim2,omitempty"`
	// MaxFactsPerDim skips points with F > MaxFactsPerDim·d for a method
	// (e.g. {"ntk": 6}: the NTK saturates at a few d facts).
	MaxFactsPerDim map[string]float64 `json:"max_facts_per_dim,omitempty"`
	// MaxFacts skips points with F > MaxFacts for a method, at every
	// dimension (e.g. {"gd": 1024}: a time budget on GD's width searches,
	// whose cost grows about as F²).
	MaxFacts map[string]int `json:"max_facts,omitempty"`
}

// LoadConfig reads a sweep configuration from a JSON file (see ParseConfig).
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("capacity: sweep config: %w", err)
	}
	c, err := ParseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("capacity: sweep config %s: %w", path, err)
	}
	return c, nil
}

const configFields = "methods, facts, facts_per_dim2, dims, families, seeds, act, gd, losses, max, max_hidden, rel_tol, max_facts_per_dim2, max_facts_per_dim, max_facts"

// Size limits of a sweep config: no sweep of this toolkit comes near them,
// and they keep F·d and d² far from overflowing an int.
const (
	maxConfigFacts  = 1 << 24
	maxConfigDim    = 1 << 16
	maxConfigPoints = 1 << 20
)

// ParseConfig decodes a sweep configuration strictly: exactly one JSON
// object, no trailing data, no unknown fields, every number in range, and a
// grid that yields at least one point.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("%w (fields: %s)", err, configFields)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, fmt.Errorf("trailing data after the config object at byte %d; a config is exactly one JSON object", dec.InputOffset())
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	pts, err := c.Points()
	if err != nil {
		return Config{}, err
	}
	if len(pts) == 0 {
		return Config{}, errors.New("the config yields no point: max_facts_per_dim2 / max_facts_per_dim / max_facts exclude every (method, facts, dim)")
	}
	return c, nil
}

// Validate range-checks every number of c.
func (c Config) Validate() error {
	for _, n := range c.Facts {
		if n < 2 || n > maxConfigFacts {
			return fmt.Errorf("capacity: facts %d; each must be in [2, %d]", n, maxConfigFacts)
		}
	}
	for _, d := range c.Dims {
		if d < 1 || d > maxConfigDim {
			return fmt.Errorf("capacity: dims %d; each must be in [1, %d]", d, maxConfigDim)
		}
	}
	for _, a := range c.FactsPerDim2 {
		if !(a > 0) || math.IsInf(a, 0) {
			return fmt.Errorf("capacity: facts_per_dim2 %g; each must be positive and finite", a)
		}
		for _, d := range c.Dims {
			if f := a * float64(d) * float64(d); f > maxConfigFacts {
				return fmt.Errorf("capacity: facts_per_dim2 %g at dim %d gives %.4g facts; at most %d are accepted", a, d, f, maxConfigFacts)
			}
		}
	}
	for _, lims := range []struct {
		name string
		m    map[string]float64
	}{{"max_facts_per_dim2", c.MaxFactsPerDim2}, {"max_facts_per_dim", c.MaxFactsPerDim}} {
		for m, v := range lims.m {
			if !(v > 0) || math.IsInf(v, 0) {
				return fmt.Errorf("capacity: %s[%q] = %g; a limit must be positive and finite", lims.name, m, v)
			}
		}
	}
	nLoss := 1
	for m, ls := range c.Losses {
		if len(ls) == 0 {
			return fmt.Errorf("capacity: losses[%q] is empty; list at least one of ce, mse (or drop the method)", m)
		}
		for _, l := range ls {
			if _, err := training.ParseLoss(l); err != nil {
				return fmt.Errorf("capacity: losses[%q]: %w", m, err)
			}
		}
		nLoss = max(nLoss, len(ls))
	}
	for m, v := range c.MaxFacts {
		if v < 2 {
			return fmt.Errorf("capacity: max_facts[%q] = %d; a limit must be ≥ 2 (the fewest facts a point has)", m, v)
		}
	}
	grid := max(1, len(c.Families)) * max(1, len(c.Seeds)) * nLoss
	for _, n := range []int{len(c.Methods), len(c.Dims), len(c.Facts) + len(c.FactsPerDim2)} {
		if grid *= n; grid > maxConfigPoints {
			return fmt.Errorf("capacity: the grid has more than %d points; split the sweep", maxConfigPoints)
		}
	}
	if c.Max < 0 || c.Max > 1<<24 {
		return fmt.Errorf("capacity: max %d; it must be in [0, %d] (0: the method's default)", c.Max, 1<<24)
	}
	for m, v := range c.MaxHidden {
		if v < 1 || v > 1<<24 {
			return fmt.Errorf("capacity: max_hidden[%q] = %d; it must be in [1, %d]", m, v, 1<<24)
		}
	}
	if !(c.RelTol >= 0 && c.RelTol < 1) {
		return fmt.Errorf("capacity: rel_tol %g; it must be in [0, 1)", c.RelTol)
	}
	if g := c.GD; !(g.LR >= 0) || math.IsInf(g.LR, 0) || g.Epochs < 0 || g.MaxBatch < 0 || g.CodeDim < 0 {
		return fmt.Errorf("capacity: gd {lr %g, epochs %d, max_batch %d, code_dim %d}; lr must be finite and ≥ 0, the others ≥ 0 (0: default)", g.LR, g.Epochs, g.MaxBatch, g.CodeDim)
	}
	for _, f := range c.Families {
		for name, v := range map[string]float64{"kappa": f.Kappa, "beta": f.Beta, "spread": f.Spread, "angle": f.Angle} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return fmt.Errorf("capacity: family %q %s = %g; it must be finite and ≥ 0", f.Family, name, v)
			}
		}
		if f.Clusters < 0 {
			return fmt.Errorf("capacity: family %q clusters = %d; it must be ≥ 0 (0: default)", f.Family, f.Clusters)
		}
	}
	return nil
}

// Points expands the grid, in method-major order.
func (c Config) Points() ([]Point, error) {
	if len(c.Methods) == 0 || len(c.Facts)+len(c.FactsPerDim2) == 0 || len(c.Dims) == 0 {
		return nil, fmt.Errorf("capacity: a sweep needs methods, facts (or facts_per_dim2) and dims (got %d, %d, %d)", len(c.Methods), len(c.Facts)+len(c.FactsPerDim2), len(c.Dims))
	}
	for _, a := range c.FactsPerDim2 {
		if !(a > 0) {
			return nil, fmt.Errorf("capacity: facts_per_dim2 %g; it must be positive", a)
		}
	}
	fams := c.Families
	if len(fams) == 0 {
		fams = []Family{{Family: factset.FamilySpherical}}
	}
	seeds := c.Seeds
	if len(seeds) == 0 {
		seeds = []uint64{1}
	}
	var pts []Point
	for _, m := range c.Methods {
		gds := []GD{c.GD}
		if ls := c.Losses[m]; len(ls) > 0 {
			if e, err := method.Lookup(m); err != nil || !e.Trains {
				return nil, fmt.Errorf("capacity: losses[%q]: only a method that trains takes a loss (%s)", m, strings.Join(trainedMethods(), ", "))
			}
			gds = gds[:0]
			for _, l := range ls {
				g := c.GD
				g.Loss = l
				gds = append(gds, g)
			}
		}
		for _, gd := range gds {
			for _, f := range fams {
				for _, d := range c.Dims {
					facts := append([]int(nil), c.Facts...)
					for _, a := range c.FactsPerDim2 {
						facts = append(facts, max(2, int(math.Round(a*float64(d*d)))))
					}
					for _, n := range facts {
						if lim, ok := c.MaxFactsPerDim2[m]; ok && float64(n) > lim*float64(d*d) {
							continue
						}
						if lim, ok := c.MaxFactsPerDim[m]; ok && float64(n) > lim*float64(d) {
							continue
						}
						if lim, ok := c.MaxFacts[m]; ok && n > lim {
							continue
						}
						for _, s := range seeds {
							p := Point{Method: m, Facts: f.Spec(n, d, s), Keys: f.Keys, Act: c.Act[m], Seed: s, GD: gd, Max: cmp.Or(c.MaxHidden[m], c.Max), RelTol: c.RelTol}
							p, err := p.Normalize()
							if err != nil {
								return nil, err
							}
							pts = append(pts, p)
						}
					}
				}
			}
		}
	}
	return pts, nil
}

// trainedMethods lists the registered methods that train.
func trainedMethods() []string {
	var out []string
	for _, n := range method.Names() {
		if e, _ := method.Lookup(n); e.Trains {
			out = append(out, n)
		}
	}
	return out
}

// Record is one sweep point as written to the CSV and JSON outputs.
type Record struct {
	Method    string  `json:"method"`
	Family    string  `json:"family"`
	Keys      string  `json:"keys,omitempty"`
	Kappa     float64 `json:"kappa"`
	Beta      float64 `json:"beta"`
	Angle     float64 `json:"angle,omitempty"` // degrees, family "midpoints"
	Facts     int     `json:"facts"`
	Values    int     `json:"values"`
	Dim       int     `json:"dim"`
	Seed      uint64  `json:"seed"`
	Act       string  `json:"act"`
	Loss      string  `json:"loss,omitempty"` // GD loss of gd and encdec-gd ("": the method's default)
	Found     bool    `json:"found"`
	MinHidden int     `json:"min_hidden"`
	MinParams int     `json:"min_params"`
	// ParamsWithoutSeeded counts MinParams without the seeded random
	// matrices (paper.md §1.3's second convention; 0 when not found).
	ParamsWithoutSeeded int `json:"params_without_seeded,omitempty"`
	// CodeDim is the code dimension m of an encoder–decoder MLP (0: none).
	CodeDim int `json:"code_dim,omitempty"`
	// MaxHidden is the largest width the search tried (the search limit).
	MaxHidden int     `json:"max_hidden,omitempty"`
	Rho       float64 `json:"rho"`
	Seconds   float64 `json:"seconds"`
	Trials    []Trial `json:"trials"`
}

// MarshalJSON writes min_hidden and min_params as null when no width
// stored the facts (Found false), so "never stores" cannot be read as a
// cost of zero. Decoding null leaves them 0.
func (r Record) MarshalJSON() ([]byte, error) {
	type plain Record
	if r.Found {
		return json.Marshal(plain(r))
	}
	return json.Marshal(struct {
		plain
		MinHidden *int `json:"min_hidden"`
		MinParams *int `json:"min_params"`
	}{plain: plain(r)})
}

// Label names the record's series: the method, with the GD loss appended
// when the method trains and the loss is not its default
// (method.Entry.DefaultLoss: CE for gd, MSE for encdec-gd), e.g. "gd-mse".
// Select, the fits and the figures group records by label.
func (r Record) Label() string {
	e, err := method.Lookup(r.Method)
	if err == nil && e.Trains && r.Loss != "" && training.Loss(r.Loss) != e.DefaultLoss {
		return r.Method + "-" + r.Loss
	}
	return r.Method
}

func record(p Point, r *Result) Record {
	kappa, beta := p.Facts.Kappa, p.Facts.Beta
	if p.Facts.Family != factset.FamilyConditioned {
		kappa = 0
	}
	if p.Facts.Family != factset.FamilySpiked {
		beta = 0
	}
	angle := p.Facts.Angle
	if p.Facts.Family != factset.FamilyMidpoints {
		angle = 0
	}
	return Record{Method: p.Method, Family: p.Facts.Family, Keys: p.Keys, Kappa: kappa, Beta: beta, Angle: angle,
		Facts: r.Facts, Values: p.Facts.N, Dim: r.Dim, Seed: p.Seed, Act: p.Act, Loss: p.GD.Loss, Found: r.Found(),
		MinHidden: r.MinHidden, MinParams: r.MinParams, ParamsWithoutSeeded: r.ParamsWithoutSeeded, CodeDim: r.CodeDim,
		MaxHidden: p.Max, Rho: r.Rho, Seconds: r.Seconds, Trials: r.Trials}
}

// SweepOptions are the run-time settings of Sweep.
type SweepOptions struct {
	// Out, if not empty, receives points.csv, points.json and one JSON file
	// per point under points/ (rewritten after every point).
	Out string
	// Cache stores trials and points (default: Out/cache when Out is set).
	Cache *Cache
	// Progress receives (points done, points total, note).
	Progress progress.Func
	// Trial receives per-trial progress of the point being measured.
	Trial progress.Func
	// Shard, if set, restricts the sweep to its share of the points (see
	// Shard and Merge; Out is then usually Shard.Dir of the whole output).
	Shard Shard
	// OneAtATime measures gd's seeds one after another instead of side by
	// side (the same records; for timing and tests).
	OneAtATime bool
}

// Sweep measures every point of c (or of opts.Shard), in order, and
// returns the records. Points of method gd that differ only in their seeds
// (consecutive in the grid) are measured side by side unless
// opts.OneAtATime: their searches run at once and the widths they try at
// the same time train in one graph (training.Together). Every record is
// what measuring the points one at a time gives; only the seconds differ.
func Sweep(c Config, opts SweepOptions) ([]Record, error) {
	pts, err := c.Points()
	if err != nil {
		return nil, err
	}
	pts = opts.Shard.Select(pts)
	if opts.Cache == nil && opts.Out != "" {
		opts.Cache = &Cache{Dir: filepath.Join(opts.Out, "cache")}
	}
	rhos := map[string]float64{}
	options := func(p Point) (Options, error) {
		key := p.Facts.String()
		mo := Options{Cache: opts.Cache, Progress: opts.Trial, Rho: rhos[key]}
		if mo.Rho == 0 {
			fs, err := p.FactSet()
			if err != nil {
				return mo, err
			}
			if mo.Rho, err = Rho(fs, opts.Cache, p.Facts); err != nil {
				return mo, err
			}
			rhos[key] = mo.Rho
		}
		return mo, nil
	}
	var recs []Record
	for i := 0; i < len(pts); {
		group := seedSiblings(pts[i:])
		if opts.OneAtATime {
			group = 1
		}
		p := pts[i]
		note := fmt.Sprintf("%s F=%d d=%d %s", p.Method, p.Facts.N, p.Facts.Dim, p.Facts.Family)
		if group > 1 {
			note += fmt.Sprintf(", %d seeds side by side", group)
		}
		opts.Progress.Report(i, len(pts), note)
		mos := make([]Options, group)
		for k := range group {
			if mos[k], err = options(pts[i+k]); err != nil {
				return recs, err
			}
		}
		results, err := measureTogether(pts[i:i+group], mos)
		if err != nil {
			return recs, err
		}
		for k, r := range results {
			rec := record(pts[i+k], r)
			recs = append(recs, rec)
			if opts.Out != "" {
				if err := writePoint(opts.Out, rec); err != nil {
					return recs, err
				}
				if err := WriteRecords(opts.Out, recs); err != nil {
					return recs, err
				}
			}
		}
		i += group
	}
	opts.Progress.Report(len(pts), len(pts), "done")
	return recs, nil
}

// seedSiblings is how many points from pts[0] on are method gd and differ
// from it only in their seeds (the method's and the fact set's).
func seedSiblings(pts []Point) int {
	strip := func(p Point) Point {
		p.Seed, p.Facts.Seed = 0, 0
		return p
	}
	if pts[0].Method != "gd" {
		return 1
	}
	n := 1
	for n < len(pts) && strip(pts[n]) == strip(pts[0]) {
		n++
	}
	return n
}

// observeTogether, when set (by tests), sees each Together after its points.
var observeTogether func(*training.Together)

// measureTogether measures the points, one goroutine each when there are
// several, their GD trainings side by side through one training.Together.
// It returns the results in the points' order, or the first error (by
// point) once every point is done.
func measureTogether(pts []Point, mos []Options) ([]*Result, error) {
	res, errs := make([]*Result, len(pts)), make([]error, len(pts))
	if len(pts) == 1 {
		res[0], errs[0] = Measure(pts[0], mos[0])
	} else {
		together := training.NewTogether(len(pts))
		var wg sync.WaitGroup
		for k := range pts {
			mos[k].Trainer = together.Train
			if k > 0 { // one search reports its trials: progress funcs need not be goroutine-safe
				mos[k].Progress = nil
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer together.Leave()
				res[k], errs[k] = Measure(pts[k], mos[k])
			}()
		}
		wg.Wait()
		if observeTogether != nil {
			observeTogether(together)
		}
	}
	for k, err := range errs {
		if err != nil {
			p := pts[k]
			return nil, fmt.Errorf("%s F=%d d=%d %s: %w", p.Method, p.Facts.N, p.Facts.Dim, p.Facts.Family, err)
		}
	}
	return res, nil
}

func writePoint(dir string, r Record) error {
	fam := r.Family
	if r.Angle != 0 {
		fam += fmt.Sprintf("_a%g", r.Angle)
	}
	name := fmt.Sprintf("%s_%s_k%g_b%g_F%d_d%d_s%d.json", r.Label(), fam, r.Kappa, r.Beta, r.Facts, r.Dim, r.Seed)
	data, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(dir, "points", name), append(data, '\n'))
}

// CSVHeader is the column list of points.csv.
var CSVHeader = []string{"method", "family", "keys", "kappa", "beta", "facts", "values", "dim", "seed", "act", "loss",
	"found", "min_hidden", "min_params", "rho", "seconds", "trials", "params_without_seeded", "code_dim", "max_hidden"}

// WriteRecords writes dir/points.csv and dir/points.json atomically.
func WriteRecords(dir string, recs []Record) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(CSVHeader)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, r := range recs {
		_ = w.Write([]string{r.Method, r.Family, r.Keys, f(r.Kappa), f(r.Beta), strconv.Itoa(r.Facts), strconv.Itoa(r.Values),
			strconv.Itoa(r.Dim), strconv.FormatUint(r.Seed, 10), r.Act, r.Loss, strconv.FormatBool(r.Found),
			orEmpty(r.Found, r.MinHidden), orEmpty(r.Found, r.MinParams), f(r.Rho), f(r.Seconds), strconv.Itoa(len(r.Trials)),
			orEmpty(r.Found, r.ParamsWithoutSeeded), strconv.Itoa(r.CodeDim), strconv.Itoa(r.MaxHidden)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, "points.csv"), buf.Bytes()); err != nil {
		return err
	}
	data, err := json.MarshalIndent(recs, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(dir, "points.json"), append(data, '\n'))
}

// orEmpty formats n, or "" when the point was not found (no cost, not zero).
func orEmpty(found bool, n int) string {
	if !found {
		return ""
	}
	return strconv.Itoa(n)
}

// Select returns the found records of one series (a method name or a
// Record.Label such as "gd-mse"), sorted by facts then ρ.
func Select(recs []Record, method string) []Record {
	var out []Record
	for _, r := range recs {
		if r.Label() == method && r.Found {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Facts != out[j].Facts {
			return out[i].Facts < out[j].Facts
		}
		return out[i].Rho < out[j].Rho
	})
	return out
}

// FactsVsParams fits facts = C·params^slope over one method's found,
// uncapped records (the paper's Fig. 3 axes: x = parameters, y = facts;
// Record.Capped names the points left out).
func FactsVsParams(recs []Record, method string) (Fit, error) {
	return FactsVsParamsFrom(recs, method, 0)
}

// FactsVsParamsFrom is FactsVsParams over the records with at least
// minFacts facts (small fact sets need only a handful of hidden units, so
// one unit more or less moves their cost by tens of percent). It is an
// error when fewer than two distinct F remain: seeds at one F give no slope.
func FactsVsParamsFrom(recs []Record, method string, minFacts int) (Fit, error) {
	var use []Record
	for _, r := range Select(recs, method) {
		if r.Facts >= minFacts && r.Capped() == "" {
			use = append(use, r)
		}
	}
	return fitCounted(use, method, AllStored)
}

// CostVsRho fits log params on log ρ over one method's found records
// (the paper's Fig. 2): params = C·ρ^slope.
func CostVsRho(recs []Record, method string) (Fit, error) {
	var xs, ys []float64
	for _, r := range Select(recs, method) {
		if r.Rho > 0 && !math.IsNaN(r.Rho) {
			xs, ys = append(xs, r.Rho), append(ys, float64(r.MinParams))
		}
	}
	if len(xs) < 2 {
		return Fit{}, fmt.Errorf("capacity: %s has %d found points with ρ > 0; a fit needs 2", method, len(xs))
	}
	return fit.PowerLaw(xs, ys)
}

// Summarize fits facts-vs-params (per method and family) and cost-vs-ρ (per
// method and facts/dim) and describes them, one line each.
func Summarize(recs []Record) string {
	var b bytes.Buffer
	type group struct {
		method, family string
		facts, dim     int
	}
	byFamily := map[group][]Record{}
	byShape := map[group][]Record{}
	var famKeys, shapeKeys []group
	for _, r := range recs {
		kf := group{method: r.Label(), family: fmt.Sprintf("%s κ=%g β=%g", r.Family, r.Kappa, r.Beta) + angleNote(r.Angle), dim: r.Dim}
		if _, ok := byFamily[kf]; !ok {
			famKeys = append(famKeys, kf)
		}
		byFamily[kf] = append(byFamily[kf], r)
		ks := group{method: r.Label(), facts: r.Facts, dim: r.Dim}
		if _, ok := byShape[ks]; !ok {
			shapeKeys = append(shapeKeys, ks)
		}
		byShape[ks] = append(byShape[ks], r)
	}
	for _, k := range famKeys {
		if f, err := FactsVsParams(byFamily[k], k.method); err == nil {
			fmt.Fprintf(&b, "facts vs params  %-9s %s d=%d: %v\n", k.method, k.family, k.dim, f)
		}
	}
	for _, k := range shapeKeys {
		if f, err := CostVsRho(byShape[k], k.method); err == nil {
			fmt.Fprintf(&b, "params vs rho    %-9s F=%d d=%d: %v\n", k.method, k.facts, k.dim, f)
		}
	}
	return b.String()
}

// WriteText writes s to dir/name atomically.
func WriteText(dir, name, s string) error {
	return atomicfile.WriteBytes(filepath.Join(dir, name), []byte(s))
}

// angleNote is " angle=θ°" for a midpoint family, "" otherwise.
func angleNote(angle float64) string {
	if angle == 0 {
		return ""
	}
	return fmt.Sprintf(" angle=%g°", angle)
}
