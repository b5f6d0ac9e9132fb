package editing

import (
	"fmt"
	"time"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

// Result is one method's edit of one test split.
type Result struct {
	Method   string  `json:"method"`
	Fraction float64 `json:"fraction"`
	Metrics
	// Params is the setting chosen on the validation split
	// (Base.ValidationSplit), and ValidationScore its score there; the
	// metrics are measured on the test split, which selection never sees.
	Params          string  `json:"params"`
	ValidationScore float64 `json:"validation_score"`
	// NullSpaceDim (AlphaEdit only) is the dimension of the space the
	// chosen tolerance leaves free of the preserved keys, out of the fact
	// MLP's width.
	NullSpaceDim int `json:"null_space_dim,omitempty"`
	// Seconds is the wall time of the test edit (residual search and
	// update, or building the new MLP).
	Seconds float64    `json:"seconds"`
	Tried   int        `json:"tried"`
	MLP     *mlp.Gated `json:"-"`
}

// SelectionMaxPreserved caps the unaltered facts on which hyper-parameter
// selection measures specificity (every k-th of the validation split's;
// the test split is always measured on every fact).
const SelectionMaxPreserved = 1024

// Run applies a method (swap, memit, rome, alphaedit) to the test split
// sp. A baseline's hyper-parameters are chosen on b.ValidationSplit(sp) —
// the best editing score over the grid there — and then applied once to sp.
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
		return &Result{Method: method, Fraction: sp.Fraction, Metrics: b.Evaluate(sp, g, true), Params: b.Config.swapParams(), Seconds: sec, Tried: 1, MLP: g}, nil
	}
	val, err := b.ValidationSplit(sp)
	if err != nil {
		return nil, err
	}
	hp, valScore, tried, err := b.Select(method, val, grid)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	R, Ka, Kp := b.Residuals(sp, hp.Residual)
	g, err := b.editWith(method, hp, R, Ka, Kp)
	if err != nil {
		return nil, fmt.Errorf("editing: %s with the setting chosen on validation (%s) fails on the test split: %w", method, hp.String(method), err)
	}
	res := &Result{Method: method, Fraction: sp.Fraction, Params: hp.String(method), ValidationScore: valScore,
		Seconds: time.Since(t0).Seconds(), Tried: tried, MLP: g}
	if method == AlphaEdit {
		_, res.NullSpaceDim, _ = NullSpaceProjector(Kp, hp.Tol)
	}
	res.Metrics = b.Evaluate(sp, g, true)
	return res, nil
}

// Select searches the grid of a baseline on the split val and returns the
// setting with the best editing score there (specificity on at most
// SelectionMaxPreserved unaltered facts), its score and the number of
// settings tried.
func (b *Base) Select(method string, val *EditSplit, grid Grid) (HParams, float64, int, error) {
	pts := grid.points(method)
	if len(pts) == 0 {
		return HParams{}, 0, 0, fmt.Errorf("editing: the grid for %s is empty", method)
	}
	// Residuals depend only on the residual options: compute them once per
	// distinct setting (the grid's other axes reuse them).
	type resid struct{ R, Ka, Kp *mat.Dense }
	cache := map[ResidualOptions]resid{}
	var best HParams
	bestScore := -1.0
	for k, hp := range pts {
		if k%10 == 0 {
			b.Config.Progress.Report(k, len(pts), fmt.Sprintf("%s: selecting on the validation split (%d altered facts)", method, len(val.Altered)))
		}
		rs, ok := cache[hp.Residual]
		if !ok {
			rs.R, rs.Ka, rs.Kp = b.Residuals(val, hp.Residual)
			cache[hp.Residual] = rs
		}
		g, err := b.editWith(method, hp, rs.R, rs.Ka, rs.Kp)
		if err != nil {
			continue // a singular system for this point; others may work
		}
		if m := b.evaluate(val, g, false, SelectionMaxPreserved); m.Score > bestScore {
			best, bestScore = hp, m.Score
		}
	}
	if bestScore < 0 {
		return HParams{}, 0, len(pts), fmt.Errorf("editing: every grid point of %s failed", method)
	}
	return best, bestScore, len(pts), nil
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
