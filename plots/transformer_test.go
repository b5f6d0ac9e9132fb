package plots

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/transformer"
)

func TestTransformerFigures(t *testing.T) {
	run := []transformer.TrainPoint{{Step: 1, Accuracy: 0.1}, {Step: 2, Accuracy: 0.5}, {Step: 3, Accuracy: 0.9}}
	p, err := TrainingCurve("t", []string{"encdec"}, [][]transformer.TrainPoint{run}, 2)
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "training-curve", p)
	if _, err := Render(p, "svg"); err != nil {
		t.Fatal(err)
	}
	if _, err := TrainingCurve("t", []string{"a", "b"}, [][]transformer.TrainPoint{run}, 2); err == nil {
		t.Error("mismatched labels accepted")
	}
	u, err := UsabilityVsLipschitz("u", []UsabilityPoint{{"α=0", 3, 0.99, 0.99}, {"α=1", 30, 0.8, 0.85}})
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "usability-vs-lipschitz", u)
	if _, err := Render(u, "svg"); err != nil {
		t.Fatal(err)
	}
	if _, err := UsabilityVsLipschitz("u", nil); err == nil {
		t.Error("no points accepted")
	}
	sweeps := []transformer.MethodWidths{{Method: "encdec", StandaloneParams: 800, Points: []transformer.WidthPoint{
		{Params: 1000, FactAdaptive: 0.9, Recall: 0.9, Lipschitz: 2}, {Hidden: 8, Note: "cannot build"}, {Params: 4000, FactAdaptive: 0.99, Recall: 0.99, Lipschitz: 3}}}}
	w, err := UsabilityVsWidth("w", sweeps)
	if err != nil {
		t.Fatal(err)
	}
	mustBeReadable(t, "usability-vs-width", w)
	if _, err := Render(w, "svg"); err != nil {
		t.Fatal(err)
	}
	if _, err := UsabilityVsWidth("w", nil); err == nil {
		t.Error("no sweeps accepted")
	}
	if got := WidthUsability(sweeps); len(got) != 2 || got[1] != (UsabilityPoint{"encdec", 3, 0.99, 0.99}) {
		t.Errorf("WidthUsability = %+v; want the two measured widths", got)
	}
}
