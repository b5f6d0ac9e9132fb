package transformer

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
)

// A Study expands into the RunConfig the notebooks used to write by hand:
// default training with the study's steps and seed, the default task unless
// junk is set.
func TestStudyRunConfig(t *testing.T) {
	s := Study{Facts: factset.Spec{N: 128, Dim: 64, Seed: 1}, Method: "encdec", Steps: 300, EvalSeqs: 2000, Seed: 3}
	c := s.RunConfig()
	want := DefaultTrainOptions()
	got := c.Train
	if got.Steps != 300 || got.Seed != 3 || got.LR != want.LR || got.Batch != want.Batch || got.StopAccuracy != want.StopAccuracy || got.Progress != nil {
		t.Errorf("training options = %+v; want the defaults with 300 steps and seed 3", got)
	}
	if c.Task != (Task{}) || c.Seed != 3 || c.Method != "encdec" || c.EvalSeqs != 2000 || c.Facts != s.Facts {
		t.Errorf("RunConfig = %+v", c)
	}
	s.Junk = 8
	task := DefaultTask(128)
	task.Junk = 8
	if got := s.RunConfig().Task; got != task {
		t.Errorf("with 8 junk tokens: task %+v, want %+v", got, task)
	}
}

// WidthStudy rejects an unknown method before training anything.
func TestWidthStudyUnknownMethod(t *testing.T) {
	w := WidthStudy{Study: Study{Facts: factset.Spec{N: 16, Dim: 8, Seed: 1}, Steps: 1, Seed: 1}, Methods: []string{"magic"}, Factors: []int{1}}
	if _, err := w.Run(nil); err == nil {
		t.Error("unknown method accepted")
	}
}
