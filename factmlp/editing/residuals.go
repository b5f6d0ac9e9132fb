package editing

import (
	"math"

	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

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
	return b.residualsOn(b.LM.Fact, sp, ro)
}

// residualsOn is Residuals for the fact MLP cur in the slot (an already
// edited one, in sequential editing).
func (b *Base) residualsOn(cur *mlp.Gated, sp *EditSplit, ro ResidualOptions) (R, Ka, Kp *mat.Dense) {
	nT, d, h := b.NumTemplates(), b.LM.Dim(), cur.Hidden()
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
		k := cur.HiddenActivations(b.qA.Slice(i*nT+sp.EditTemplate[i], i*nT+sp.EditTemplate[i]+1, 0, d))
		Kp.SetCol(pc, k.RawRowView(0))
		pc++
	}
	logits := make([]float64, V)
	adam := gomlxtrain.DefaultAdam() // the wd‖r‖² term is in the loss, not decoupled
	for c, i := range sp.Altered {
		row := i*nT + sp.EditTemplate[i]
		a := b.qA.Slice(row, row+1, 0, d)
		k := cur.HiddenActivations(a)
		Ka.SetCol(c, k.RawRowView(0))
		mo := cur.Forward(a).RawRowView(0)
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
			adam.Step64(r, m1, m2, grad, ro.LR, step)
		}
		if ro.Clip > 0 {
			rn, mn := 0.0, 0.0
			for j := range r {
				rn += r[j] * r[j]
				w := mo[j]
				if cur.DownBias != nil {
					w -= cur.DownBias[j]
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
