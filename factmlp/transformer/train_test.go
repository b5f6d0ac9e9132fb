package transformer

import (
	"strings"
	"testing"
)

func TestTrainOptionsRejectBadOptimiserSettings(t *testing.T) {
	for _, c := range []struct {
		edit func(*TrainOptions)
		want string
	}{
		{func(o *TrainOptions) { o.Beta1 = 1 }, "betas 1, 0.999"},
		{func(o *TrainOptions) { o.Eps = -1e-8 }, "eps -1e-08"},
		{func(o *TrainOptions) { o.WeightDecay = -0.1 }, "weight decay -0.1"},
		{func(o *TrainOptions) { o.Warmup = -5 }, "-5 warm-up steps"},
		{func(o *TrainOptions) { o.LR = 0 }, "learning rate must be > 0, got 0"},
	} {
		o := DefaultTrainOptions()
		c.edit(&o)
		err := o.validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an error naming %q, got %v", c.want, err)
		}
	}
	if err := DefaultTrainOptions().validate(); err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
}
