package editing

import (
	"github.com/factmlp/factmlp/factmlp/mlp"
)

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
