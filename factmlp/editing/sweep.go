package editing

import (
	"fmt"
	"time"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

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
