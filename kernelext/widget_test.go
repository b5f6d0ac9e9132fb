package kernelext

import (
	"errors"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/kernelext/contract"
	"github.com/factmlp/factmlp/plots"
	"gonum.org/v1/plot"
)

// Without a browser Interact shows the initial view as ordinary output —
// Markdown, a checked figure, a table — and returns.
func TestInteractHeadlessShowsInitialView(t *testing.T) {
	t.Setenv(HeadlessEnv, "1")
	rec, stop := Record()
	defer stop()
	var asked [][]int
	view := func(c []int) (View, error) {
		asked = append(asked, append([]int(nil), c...))
		p := plots.New("Choice", "x", "y")
		if err := plots.AddSeries(p, plots.Points("encdec", []float64{1, 2}, []float64{1, float64(c[0] + 2)})); err != nil {
			return View{}, err
		}
		plots.PlaceLegend(p)
		return View{Markdown: "chosen " + strings.Repeat("*", c[0]+c[1]), Plots: []*plot.Plot{p},
			Table: []struct{ A int }{{c[0]}}}, nil
	}
	err := Interact(view, Control{Label: "a", Choices: []string{"x", "y", "z"}, Initial: 2},
		Control{Label: "b", Choices: []string{"u", "v"}, Initial: 1, Menu: true})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.Payloads()
	if len(asked) != 1 || asked[0][0] != 2 || asked[0][1] != 1 {
		t.Errorf("view asked for %v, want once for [2 1]", asked)
	}
	if len(got) != 3 || got[0].Data != "chosen ***" || !strings.Contains(got[1].Data, FigureClass) ||
		strings.Contains(got[1].Data, contract.FigureProblemsAttr) || !strings.Contains(got[2].Data, "<table") {
		t.Errorf("payloads = %d: want Markdown, a clean figure, a table; got %+v", len(got), got)
	}
}

func TestInteractRejectsBadInput(t *testing.T) {
	t.Setenv(HeadlessEnv, "1")
	_, stop := Record()
	defer stop()
	ok := func([]int) (View, error) { return View{Markdown: "x"}, nil }
	for _, c := range []struct {
		name, want string
		err        error
	}{
		{"nil view", "nil view", Interact(nil, Control{Label: "a", Choices: []string{"x"}})},
		{"no controls", "no controls", Interact(ok)},
		{"no choices", `"a" has no choices`, Interact(ok, Control{Label: "a"})},
		{"initial out of range", "starts at choice 3, want 0…1", Interact(ok, Control{Label: "a", Choices: []string{"x", "y"}, Initial: 3})},
		{"failing view", "boom", Interact(func([]int) (View, error) { return View{}, errors.New("boom") }, Control{Label: "a", Choices: []string{"x"}})},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
}

func TestCheckAnswerVerdicts(t *testing.T) {
	rec, stop := Record()
	defer stop()
	for _, c := range []struct {
		got, want, tol float64
		v              Verdict
	}{
		{NoAnswer, 3, 0.1, NotAnswered},
		{3.2, 3, 0.1, Right},
		{3.4, 3, 0.1, Wrong},
		{0.05, 0, 0.1, Right}, // want 0: absolute tolerance
		{1, NoAnswer, 0.1, Wrong},
		{1, 1, -1, Wrong},
	} {
		if v := CheckAnswer("Ex", c.got, c.want, c.tol, "think again"); v != c.v {
			t.Errorf("CheckAnswer(%g, want %g, tol %g) = %q, want %q", c.got, c.want, c.tol, v, c.v)
		}
	}
	// A student's integer answer (var answer = 11) checks like a float.
	answer := 11
	if v := CheckAnswer("Ex", answer, 11, 0, "h"); v != Right {
		t.Errorf("CheckAnswer(int 11, want 11) = %q, want %q", v, Right)
	}
	if v := CheckAnswer("Ex", uint8(12), 11, 0, "h"); v != Wrong {
		t.Errorf("CheckAnswer(uint8 12, want 11) = %q, want %q", v, Wrong)
	}
	if v := CheckText("Ex", "  paris ", "Paris", "h"); v != Right {
		t.Errorf("CheckText case/space: %q", v)
	}
	if v := CheckText("Ex", "", "Paris", "h"); v != NotAnswered {
		t.Errorf("CheckText empty: %q", v)
	}
	p := rec.Payloads()
	if wrong := p[2].Data; !strings.Contains(wrong, "Hint: think again") || strings.Contains(wrong, " 3 ") {
		t.Errorf("wrong answer message %q: want the hint and not the expected value", wrong)
	}
	if broken := p[4].Data; !strings.Contains(broken, "check itself is broken") {
		t.Errorf("NaN expected value: %q", broken)
	}
}
