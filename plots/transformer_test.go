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
	if _, err := Render(u, "svg"); err != nil {
		t.Fatal(err)
	}
	if _, err := UsabilityVsLipschitz("u", nil); err == nil {
		t.Error("no points accepted")
	}
	w, err := UsabilityVsWidth("w", []string{"encdec"}, [][]WidthPoint{{{1000, 0.9, 0.9}, {4000, 0.99, 0.99}}}, []int{800})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Render(w, "svg"); err != nil {
		t.Fatal(err)
	}
}
