package gomlxtrain

import (
	"fmt"
	"math"
)

// Cosine is a learning-rate schedule: linear warm-up from Peak/Warmup to
// Peak over the first Warmup steps, then cosine decay from Peak to Floor
// over the remaining Steps − Warmup:
//
//	lr(s) = Floor + (Peak − Floor)·(1 + cos(π·(s − Warmup)/(Steps − Warmup)))/2
//
// for the 0-based step s. Past Steps the cosine is not clamped: it turns
// back up, which only a trainer running a few steps past its budget (the GD
// fact MLP's last compiled call) ever sees.
type Cosine struct {
	Peak, Floor float64
	Warmup      int // warm-up steps; 0 for none
	Steps       int // the schedule's period, warm-up included
}

// Validate reports a schedule that is not 0 ≤ Floor ≤ Peak, Peak > 0,
// 0 ≤ Warmup and Steps ≥ 1.
func (c Cosine) Validate() error {
	if !(c.Peak > 0) || math.IsInf(c.Peak, 0) || !(c.Floor >= 0 && c.Floor <= c.Peak) {
		return fmt.Errorf("gomlxtrain: learning rates peak %g, floor %g; need 0 ≤ floor ≤ peak and peak > 0 finite", c.Peak, c.Floor)
	}
	if c.Warmup < 0 || c.Steps < 1 {
		return fmt.Errorf("gomlxtrain: schedule of %d steps with %d warm-up steps; need steps ≥ 1 and warm-up ≥ 0", c.Steps, c.Warmup)
	}
	return nil
}

// At is the learning rate at 0-based step s.
func (c Cosine) At(s int) float64 {
	if s < c.Warmup {
		return c.Peak * float64(s+1) / float64(c.Warmup)
	}
	period := max(1, c.Steps-c.Warmup)
	return c.Floor + (c.Peak-c.Floor)*(1+math.Cos(math.Pi*float64(s-c.Warmup)/float64(period)))/2
}
