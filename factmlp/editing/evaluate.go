package editing

import (
	"math"

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
	// OffTargetPPLRatio is exp(CE_after − CE_before) over the same labels:
	// the authors' non-fact perplexity ratio r_NF.
	OffTargetPPLRatio float64 `json:"offtarget_ppl_ratio"`
	// OffTargetPPLRatioRouterOpen is the same ratio with the router forced
	// open at every non-fact position (Base.NonFactCERouterOpen): how much
	// the router shields non-fact tokens from the edit.
	OffTargetPPLRatioRouterOpen float64 `json:"offtarget_ppl_ratio_router_open"`
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
	return b.evaluate(sp, fact, offTarget, 0)
}

// evaluate is Evaluate with specificity measured on at most maxPreserved
// unaltered facts (every k-th; 0: all), as hyper-parameter selection does
// to keep its many evaluations cheap.
func (b *Base) evaluate(sp *EditSplit, fact *mlp.Gated, offTarget bool, maxPreserved int) Metrics {
	if b.onEvaluate != nil {
		b.onEvaluate(sp)
	}
	nT := b.NumTemplates()
	stride := 1
	if np := b.NumFacts() - len(sp.Altered); maxPreserved > 0 && np > maxPreserved {
		stride = (np + maxPreserved - 1) / maxPreserved
	}
	var rows, want []int
	var kind []int // 0 efficacy, 1 paraphrase, 2 specificity
	pc := 0
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
			if pc++; (pc-1)%stride != 0 {
				continue
			}
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
		after := b.NonFactCE(fact)
		m.OffTargetCEDelta = (after - base) / base
		m.OffTargetPPLRatio = math.Exp(after - base)
		if b.nonFactCEOpen == 0 {
			b.nonFactCEOpen = b.NonFactCERouterOpen(nil)
		}
		m.OffTargetPPLRatioRouterOpen = math.Exp(b.NonFactCERouterOpen(fact) - b.nonFactCEOpen)
	}
	return m
}

func (b *Base) baseNonFactCE() float64 {
	if b.nonFactCE == 0 {
		b.nonFactCE = b.NonFactCE(nil)
	}
	return b.nonFactCE
}
