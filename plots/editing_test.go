package plots

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/editing"
)

func TestEditingScores(t *testing.T) {
	var rs []editing.Result
	for _, f := range []float64{0.02, 0.05, 0.1} {
		for i, m := range []string{"swap", "memit", "rome", "alphaedit"} {
			rs = append(rs, editing.Result{Method: m, Fraction: f, Metrics: editing.Metrics{Score: 1 - 0.1*float64(i)}})
		}
	}
	p, err := EditingScores("Fig. 6", []string{"swap", "memit", "rome", "alphaedit"}, rs)
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "editing-scores", p)
	if _, err := p.WriterTo(300, 200, "svg"); err != nil {
		t.Fatal(err)
	}
	if _, err := EditingScores("x", nil, rs); err == nil {
		t.Fatal("no methods accepted")
	}
}
