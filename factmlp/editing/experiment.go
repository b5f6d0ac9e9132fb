package editing

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/factmlp/factmlp/factmlp/facts"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// EditSplit is one edit request: which facts are altered and their new objects.
type EditSplit struct {
	Fraction float64
	Seed     uint64
	Altered  []int // fact indices
	// Objects is every fact's object token after the edit (the altered
	// facts' objects permuted among themselves; fixed points are possible,
	// as in the authors' protocol).
	Objects []int
	// EditTemplate is every fact's "train" phrasing, the sentence the
	// baselines compute keys and residuals on; the other phrasings
	// (training and held-out) are its paraphrases.
	EditTemplate []int
	isAltered    []bool
}

// NewSplit alters round(N·fraction) facts (at least one).
func (b *Base) NewSplit(fraction float64, seed uint64) (*EditSplit, error) {
	if !(fraction > 0 && fraction <= 1) {
		return nil, fmt.Errorf("editing: edit fraction %g; it must be in (0, 1]", fraction)
	}
	N := b.NumFacts()
	na := max(1, int(math.Round(float64(N)*fraction)))
	r := rng.Derive(seed, "editing/split")
	sp := &EditSplit{Fraction: fraction, Seed: seed, Altered: r.Perm(N)[:na],
		EditTemplate: make([]int, N), isAltered: make([]bool, N)}
	sp.Objects = permuteObjects(b.Data, sp.Altered, r)
	for _, i := range sp.Altered {
		sp.isAltered[i] = true
	}
	for i := range sp.EditTemplate {
		sp.EditTemplate[i] = r.IntN(b.Data.NumTrain)
	}
	return sp, nil
}

// permuteObjects returns every fact's object with the objects of the facts
// in altered permuted among themselves (within each relation when the data
// set has several).
func permuteObjects(data *facts.Dataset, altered []int, r *rand.Rand) []int {
	objects := append([]int{}, data.ObjectTok...)
	byRel := map[int][]int{}
	for _, i := range altered {
		rel := 0
		if data.FactRelation != nil {
			rel = data.FactRelation[i]
		}
		byRel[rel] = append(byRel[rel], i)
	}
	for rel := range max(1, len(data.Rels)) {
		idx := byRel[rel]
		perm := r.Perm(len(idx))
		for k, i := range idx {
			objects[i] = data.ObjectTok[idx[perm[k]]]
		}
	}
	return objects
}

// Metrics of an edited model.
type Metrics struct {
	Efficacy    float64 `json:"efficacy"`    // altered facts, edit phrasing
	Paraphrase  float64 `json:"paraphrase"`  // altered facts, every other phrasing
	Specificity float64 `json:"specificity"` // unaltered facts, edit phrasing
	Score       float64 `json:"score"`       // harmonic mean of the three
	// OffTargetCEDelta is (CE_after − CE_before)/CE_before over every
	// non-fact next-token label of every sentence.
	OffTargetCEDelta float64 `json:"offtarget_ce_delta"`
}

func harmonic(xs ...float64) float64 {
	s := 0.0
	for _, x := range xs {
		if x <= 0 {
			return 0
		}
		s += 1 / x
	}
	return float64(len(xs)) / s
}

// Evaluate measures an edited fact MLP (the LM is otherwise unchanged).
// offTarget computes the non-fact cross-entropy change too (slower).
func (b *Base) Evaluate(sp *EditSplit, fact *mlp.Gated, offTarget bool) Metrics {
	nT := b.NumTemplates()
	var rows, want []int
	var kind []int // 0 efficacy, 1 paraphrase, 2 specificity
	for i := 0; i < b.NumFacts(); i++ {
		if sp.isAltered[i] {
			for t := 0; t < nT; t++ {
				rows = append(rows, i*nT+t)
				want = append(want, sp.Objects[i])
				if t == sp.EditTemplate[i] {
					kind = append(kind, 0)
				} else {
					kind = append(kind, 1)
				}
			}
		} else {
			rows = append(rows, i*nT+sp.EditTemplate[i])
			want = append(want, sp.Objects[i])
			kind = append(kind, 2)
		}
	}
	L := b.queryLogits(rows, fact)
	var c, n [3]float64
	for k := range rows {
		_, ok := logSoftmaxAt(L.RawRowView(k), want[k])
		n[kind[k]]++
		if ok {
			c[kind[k]]++
		}
	}
	m := Metrics{Efficacy: c[0] / n[0], Paraphrase: c[1] / max(n[1], 1), Specificity: c[2] / max(n[2], 1)}
	m.Score = harmonic(m.Efficacy, m.Paraphrase, m.Specificity)
	if offTarget {
		base := b.baseNonFactCE()
		m.OffTargetCEDelta = (b.NonFactCE(fact) - base) / base
	}
	return m
}

func (b *Base) baseNonFactCE() float64 {
	if b.nonFactCE == 0 {
		b.nonFactCE = b.NonFactCE(nil)
	}
	return b.nonFactCE
}

// ResidualOptions configures the search for target residuals.
type ResidualOptions struct {
	Steps     int
	LR        float64
	WD        float64 // weight decay on r (adds wd·‖r‖² to the loss)
	Clip      float64 // ‖r‖ ≤ Clip·‖W k‖ after optimisation; 0: no clipping
	EarlyStop float64 // stop once the CE is below this; 0: never
}

// Residuals finds, for every altered fact, the vector r added to the fact
// MLP's output at the query position of its edit sentence that makes the
// new object the next token (Adam on CE + wd‖r‖²), and returns R (d×n_a),
// the altered keys K_a (h×n_a) and the preserved keys K_p (h×n_p): the
// down-projection inputs at the edit sentences' query positions.
func (b *Base) Residuals(sp *EditSplit, ro ResidualOptions) (R, Ka, Kp *mat.Dense) {
	nT, d, h := b.NumTemplates(), b.LM.Dim(), b.LM.Fact.Hidden()
	V, _ := b.LM.Emb.Dims()
	na := len(sp.Altered)
	R = mat.NewDense(d, na, nil)
	Ka = mat.NewDense(h, na, nil)
	Kp = mat.NewDense(h, b.NumFacts()-na, nil)
	tau := math.Exp(b.LM.LogTau)
	pc := 0
	for i := 0; i < b.NumFacts(); i++ {
		if sp.isAltered[i] {
			continue
		}
		k := b.LM.Fact.HiddenActivations(b.qA.Slice(i*nT+sp.EditTemplate[i], i*nT+sp.EditTemplate[i]+1, 0, d))
		Kp.SetCol(pc, k.RawRowView(0))
		pc++
	}
	logits := make([]float64, V)
	for c, i := range sp.Altered {
		row := i*nT + sp.EditTemplate[i]
		a := b.qA.Slice(row, row+1, 0, d)
		k := b.LM.Fact.HiddenActivations(a)
		Ka.SetCol(c, k.RawRowView(0))
		mo := b.LM.Fact.Forward(a).RawRowView(0)
		g, o, y := b.qG[row], b.qO.RawRowView(row), sp.Objects[i]
		r := make([]float64, d)
		m1 := make([]float64, d)
		m2 := make([]float64, d)
		z := make([]float64, d)
		grad := make([]float64, d)
		for step := 1; step <= ro.Steps; step++ {
			nm := 0.0
			for j := range z {
				nm += (mo[j] + r[j]) * (mo[j] + r[j])
			}
			nm = math.Sqrt(nm + 1e-12)
			for j := range z {
				z[j] = g*(mo[j]+r[j])/nm + o[j]
			}
			zh := z
			mx := math.Inf(-1)
			for v := 0; v < V; v++ {
				e := b.LM.Emb.RawRowView(v)
				s := 0.0
				for j := range zh {
					s += zh[j] * e[j]
				}
				logits[v] = tau * s
				mx = math.Max(mx, logits[v])
			}
			sum := 0.0
			for v := range logits {
				logits[v] = math.Exp(logits[v] - mx)
				sum += logits[v]
			}
			ce := -math.Log(logits[y] / sum)
			if ro.EarlyStop > 0 && ce < ro.EarlyStop {
				break
			}
			// dCE/dz = τ Σ_v (p_v − [v=y]) e_v
			dzh := make([]float64, d)
			for v := range logits {
				p := logits[v] / sum
				if v == y {
					p -= 1
				}
				if p == 0 {
					continue
				}
				e := b.LM.Emb.RawRowView(v)
				for j := range dzh {
					dzh[j] += tau * p * e[j]
				}
			}
			// z = g·u/‖u‖ + o with u = m + r: dz/du = g(I − ûûᵀ)/‖u‖.
			dot := 0.0
			for j := range dzh {
				dot += dzh[j] * (mo[j] + r[j]) / nm
			}
			for j := range grad {
				grad[j] = g*(dzh[j]-(mo[j]+r[j])/nm*dot)/nm + 2*ro.WD*r[j]
			}
			const b1, b2, eps = 0.9, 0.999, 1e-8
			for j := range r {
				m1[j] = b1*m1[j] + (1-b1)*grad[j]
				m2[j] = b2*m2[j] + (1-b2)*grad[j]*grad[j]
				mh := m1[j] / (1 - math.Pow(b1, float64(step)))
				vh := m2[j] / (1 - math.Pow(b2, float64(step)))
				r[j] -= ro.LR * mh / (math.Sqrt(vh) + eps)
			}
		}
		if ro.Clip > 0 {
			rn, mn := 0.0, 0.0
			for j := range r {
				rn += r[j] * r[j]
				w := mo[j]
				if b.LM.Fact.DownBias != nil {
					w -= b.LM.Fact.DownBias[j]
				}
				mn += w * w
			}
			if lim := ro.Clip * math.Sqrt(mn); math.Sqrt(rn) > lim {
				s := lim / math.Sqrt(rn)
				for j := range r {
					r[j] *= s
				}
			}
		}
		R.SetCol(c, r)
	}
	return R, Ka, Kp
}

// HParams is one point of a method's hyper-parameter grid.
type HParams struct {
	Residual ResidualOptions
	Lambda   float64 // MEMIT
	Tol, Mu  float64 // AlphaEdit (Mu relative to the mean ‖k_a‖²)
}

func (h HParams) String(method string) string {
	r := h.Residual
	base := fmt.Sprintf("steps=%d lr=%g clip=%g", r.Steps, r.LR, r.Clip)
	switch method {
	case MEMIT:
		return base + fmt.Sprintf(" λ=%g", h.Lambda)
	case AlphaEdit:
		return base + fmt.Sprintf(" tol=%g μ=%g", h.Tol, h.Mu)
	case ROME:
		return base + fmt.Sprintf(" wd=%g early_stop=%g", r.WD, r.EarlyStop)
	}
	return ""
}

// Edit applies one baseline with fixed hyper-parameters and returns the
// edited fact MLP (a copy; the base model is not modified).
func (b *Base) Edit(method string, sp *EditSplit, hp HParams) (*mlp.Gated, error) {
	R, Ka, Kp := b.Residuals(sp, hp.Residual)
	return b.editWith(method, hp, R, Ka, Kp)
}

// editWith is Edit with the residuals and keys given.
func (b *Base) editWith(method string, hp HParams, R, Ka, Kp *mat.Dense) (*mlp.Gated, error) {
	W := b.LM.Fact.Down
	var dW *mat.Dense
	var err error
	switch method {
	case MEMIT:
		dW, err = MEMITUpdate(W, Ka, R, Kp, hp.Lambda)
	case ROME:
		dW, err = ROMEUpdate(W, Ka, R, Kp)
	case AlphaEdit:
		_, na := Ka.Dims()
		ms := 0.0
		for c := 0; c < na; c++ {
			ms += mat.Norm(Ka.ColView(c), 2) * mat.Norm(Ka.ColView(c), 2) / float64(na)
		}
		dW, err = AlphaEditUpdate(W, Ka, R, Kp, hp.Tol, hp.Mu*ms)
	default:
		return nil, fmt.Errorf("editing: Edit takes memit, rome or alphaedit, not %q", method)
	}
	if err != nil {
		return nil, err
	}
	e := *b.LM.Fact
	e.Down = mat.NewDense(W.RawMatrix().Rows, W.RawMatrix().Cols, nil)
	e.Down.Add(W, dW)
	e.Method = b.LM.Fact.Method + "+" + method
	return &e, nil
}

// SwapMLP builds a brand-new fact MLP for the edited map with the base
// model's builder, width and seed (MLP swapping); it must store every fact.
func (b *Base) SwapMLP(sp *EditSplit) (*mlp.Gated, error) {
	fs := &factset.FactSet{Keys: b.Facts.Keys, Values: b.Facts.Values, Map: append([]int{}, sp.Objects...)}
	g, err := b.Config.Builder(fs, b.Config.Hidden, b.Config.Seed)
	if err != nil {
		return nil, err
	}
	rep, err := mlp.Verify(g, fs)
	if err != nil {
		return nil, err
	}
	if !rep.Stores() {
		return nil, fmt.Errorf("editing: the swapped-in MLP does not store the edited facts: %s", rep)
	}
	return g, nil
}

// Grid is a hyper-parameter grid; every combination of the fields a method
// uses is tried and the best editing score kept.
type Grid struct {
	Steps     []int
	LR        []float64
	Clip      []float64 // 0: no clipping
	Lambda    []float64 // MEMIT
	Tol, Mu   []float64 // AlphaEdit
	WD        []float64 // ROME
	EarlyStop []float64 // ROME; 0: none
}

// DefaultGrid follows the authors' grids (paper.md §7.2), with AlphaEdit's
// tolerance relative to the largest eigenvalue and its μ (the "+I" weight)
// relative to the mean squared key norm.
func DefaultGrid() Grid {
	return Grid{Steps: []int{10, 25, 100}, LR: []float64{0.005, 0.05, 0.5}, Clip: []float64{0.5, 0.75, 1, 0},
		Lambda: []float64{15000, 1500, 150, 10, 1}, Tol: []float64{1e-1, 1e-2, 1e-3}, Mu: []float64{1, 1e-2, 1e-4},
		WD: []float64{0.0015, 0.00015, 0}, EarlyStop: []float64{0.05, 0}}
}

// SmallGrid is a reduced grid for smoke runs and tests.
func SmallGrid() Grid {
	return Grid{Steps: []int{25, 100}, LR: []float64{0.05, 0.5}, Clip: []float64{1, 0},
		Lambda: []float64{150, 10, 1}, Tol: []float64{1e-2, 1e-3}, Mu: []float64{1e-2, 1e-4},
		WD: []float64{0}, EarlyStop: []float64{0}}
}

func (g Grid) points(method string) []HParams {
	var out []HParams
	for _, s := range g.Steps {
		for _, lr := range g.LR {
			switch method {
			case MEMIT:
				for _, c := range g.Clip {
					for _, l := range g.Lambda {
						out = append(out, HParams{Residual: ResidualOptions{Steps: s, LR: lr, Clip: c}, Lambda: l})
					}
				}
			case AlphaEdit:
				for _, c := range g.Clip {
					for _, t := range g.Tol {
						for _, m := range g.Mu {
							out = append(out, HParams{Residual: ResidualOptions{Steps: s, LR: lr, Clip: c}, Tol: t, Mu: m})
						}
					}
				}
			case ROME:
				for _, wd := range g.WD {
					for _, es := range g.EarlyStop {
						out = append(out, HParams{Residual: ResidualOptions{Steps: s, LR: lr, WD: wd, EarlyStop: es}})
					}
				}
			}
		}
	}
	return out
}

// Result is the best run of one method on one split.
type Result struct {
	Method   string  `json:"method"`
	Fraction float64 `json:"fraction"`
	Metrics
	Params string `json:"params"`
	// Seconds is the wall time of the best configuration's edit (residual
	// search and update, or building the new MLP).
	Seconds float64    `json:"seconds"`
	Tried   int        `json:"tried"`
	MLP     *mlp.Gated `json:"-"`
}

// Run applies a method (swap, memit, rome, alphaedit) to a split, searching
// the grid for the baselines, and reports the best editing score.
func (b *Base) Run(method string, sp *EditSplit, grid Grid) (*Result, error) {
	method, err := ParseMethod(method)
	if err != nil {
		return nil, err
	}
	if method == Swap {
		t0 := time.Now()
		g, err := b.SwapMLP(sp)
		if err != nil {
			return nil, err
		}
		sec := time.Since(t0).Seconds()
		return &Result{Method: method, Fraction: sp.Fraction, Metrics: b.Evaluate(sp, g, true), Params: fmt.Sprintf("hidden=%d", b.Config.Hidden), Seconds: sec, Tried: 1, MLP: g}, nil
	}
	pts := grid.points(method)
	if len(pts) == 0 {
		return nil, fmt.Errorf("editing: the grid for %s is empty", method)
	}
	var best *Result
	// Residuals depend only on the residual options: compute them once per
	// distinct setting (the grid's other axes reuse them). The time of a
	// point includes its residual search either way.
	type resid struct {
		R, Ka, Kp *mat.Dense
		sec       float64
	}
	cache := map[ResidualOptions]resid{}
	for _, hp := range pts {
		t0 := time.Now()
		rs, ok := cache[hp.Residual]
		if !ok {
			rs.R, rs.Ka, rs.Kp = b.Residuals(sp, hp.Residual)
			rs.sec = time.Since(t0).Seconds()
			cache[hp.Residual] = rs
			t0 = time.Now()
		}
		g, err := b.editWith(method, hp, rs.R, rs.Ka, rs.Kp)
		if err != nil {
			continue // a singular system for this point; others may work
		}
		sec := time.Since(t0).Seconds() + rs.sec
		m := b.Evaluate(sp, g, false)
		if best == nil || m.Score > best.Score {
			best = &Result{Method: method, Fraction: sp.Fraction, Metrics: m, Params: hp.String(method), Seconds: sec, MLP: g}
		}
	}
	if best == nil {
		return nil, fmt.Errorf("editing: every grid point of %s failed", method)
	}
	best.Tried = len(pts)
	best.Metrics = b.Evaluate(sp, best.MLP, true)
	return best, nil
}

// SplitFromEdits makes an edit request from subject → object names (for
// example {"France": "Rome", "Italy": "Paris"}); objects must be objects of
// the relation (so that they are tokens of the vocabulary).
func (b *Base) SplitFromEdits(edits map[string]string) (*EditSplit, error) {
	N := b.NumFacts()
	sp := &EditSplit{Objects: append([]int{}, b.Data.ObjectTok...), EditTemplate: make([]int, N), isAltered: make([]bool, N)}
	for s, o := range edits {
		i := -1
		for k, name := range b.Data.Subjects {
			// With several relations, the fact of s whose relation has o
			// among its objects.
			if name == s && (b.Data.FactRelation == nil || b.relationHasObject(b.Data.FactRelation[k], o)) {
				i = k
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("editing: unknown subject %q", s)
		}
		tok := b.Data.Vocab.ID("object", o)
		if tok < 0 {
			return nil, fmt.Errorf("editing: %q is not an object of relation %s; objects are the table's values (e.g. %q)", o, b.Data.Relation.Name, b.Data.Objects[0])
		}
		sp.Objects[i] = tok
		sp.isAltered[i] = true
		sp.Altered = append(sp.Altered, i)
	}
	if len(sp.Altered) == 0 {
		return nil, fmt.Errorf("editing: no edits given")
	}
	sp.Fraction = float64(len(sp.Altered)) / float64(N)
	return sp, nil
}

// Sweep runs every method at every edit fraction (one split per fraction,
// seeded by seed) and returns the best result of each.
func (b *Base) Sweep(methods []string, fractions []float64, grid Grid, seed uint64, prog func(done, total int, note string)) ([]Result, error) {
	var out []Result
	total := len(methods) * len(fractions)
	for fi, f := range fractions {
		sp, err := b.NewSplit(f, seed)
		if err != nil {
			return nil, err
		}
		for mi, m := range methods {
			r, err := b.Run(m, sp, grid)
			if err != nil {
				return nil, fmt.Errorf("%s at %g: %w", m, f, err)
			}
			out = append(out, *r)
			if prog != nil {
				prog(fi*len(methods)+mi+1, total, fmt.Sprintf("%s at %g%%: score %.3f", m, 100*f, r.Score))
			}
		}
	}
	return out, nil
}

func (b *Base) relationHasObject(rel int, o string) bool {
	for k, r := range b.Data.FactRelation {
		if r == rel && b.Data.Objects[k] == o {
			return true
		}
	}
	return false
}
