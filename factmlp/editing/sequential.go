package editing

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// RoundResult is the edited model after one round of sequential editing:
// efficacy and paraphrase over every fact edited so far, specificity over
// the facts never edited.
type RoundResult struct {
	Round  int `json:"round"`
	Edited int `json:"edited"` // facts edited so far
	Metrics
}

// Sequential edits in rounds: each round alters round(N·fraction) facts
// not edited before (their objects permuted among themselves) in a fact
// MLP that carries every earlier round's edits. Swap builds a new MLP for
// the cumulative map; a baseline updates the current down-projection (its
// keys and residuals computed on the current MLP, every other fact's key
// preserved) with the setting chosen once, on a validation split of the
// first round's size. It returns the metrics after every round.
func (b *Base) Sequential(method string, rounds int, fraction float64, seed uint64, grid Grid, prog progress.Func) ([]RoundResult, error) {
	method, err := ParseMethod(method)
	if err != nil {
		return nil, err
	}
	N := b.NumFacts()
	if !(fraction > 0 && fraction <= 1) {
		return nil, fmt.Errorf("editing: edit fraction %g; it must be in (0, 1]", fraction)
	}
	na := max(1, int(math.Round(float64(N)*fraction)))
	if rounds < 1 || rounds*na > N {
		return nil, fmt.Errorf("editing: %d rounds of %d facts; need 1 to %d rounds (every round edits facts not edited before, of %d)", rounds, na, N/na, N)
	}
	r := rng.Derive(seed, "editing/sequential")
	order := r.Perm(N)
	first := b.newSplit(fraction, seed, order[:na], r)
	tmpl := first.EditTemplate // one edit phrasing per fact for every round
	var hp HParams
	if method != Swap {
		val, err := b.ValidationSplit(first)
		if err != nil {
			return nil, err
		}
		if hp, _, _, err = b.Select(method, val, grid); err != nil {
			return nil, err
		}
	}
	objects := append([]int{}, b.Data.ObjectTok...)
	cum := &EditSplit{Seed: seed, Objects: objects, EditTemplate: tmpl, isAltered: make([]bool, N)}
	cur := b.LM.Fact
	var out []RoundResult
	for k := 0; k < rounds; k++ {
		fresh := order[k*na : (k+1)*na]
		perm := permuteObjects(b.Data, fresh, r)
		upd := &EditSplit{Fraction: fraction, Seed: seed, Altered: fresh, Objects: objects, EditTemplate: tmpl, isAltered: make([]bool, N)}
		for _, i := range fresh {
			objects[i] = perm[i]
			upd.isAltered[i], cum.isAltered[i] = true, true
		}
		cum.Altered = append(cum.Altered, fresh...)
		cum.Fraction = float64(len(cum.Altered)) / float64(N)
		if method == Swap {
			if cur, err = b.SwapMLP(cum); err != nil {
				return out, fmt.Errorf("editing: round %d: %w", k+1, err)
			}
		} else {
			R, Ka, Kp := b.residualsOn(cur, upd, hp.Residual)
			if cur, err = editOn(cur, method, hp, R, Ka, Kp); err != nil {
				return out, fmt.Errorf("editing: round %d: %w", k+1, err)
			}
		}
		res := RoundResult{Round: k + 1, Edited: len(cum.Altered), Metrics: b.Evaluate(cum, cur, true)}
		out = append(out, res)
		prog.Report(k+1, rounds, fmt.Sprintf("%s round %d: score %.3f", method, k+1, res.Score))
	}
	return out, nil
}
