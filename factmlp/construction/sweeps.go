package construction

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
)

// LookupCost is a sweep of the lookup MLP (mlp.Lookup, one unit per fact)
// over the number of facts: spherical tied fact sets in ℝ^Dim, one per size,
// drawn from Seed.
type LookupCost struct {
	Dim   int
	Sizes []int
	Seed  uint64
}

// LookupPoint is the lookup MLP for one size. The table tags name its
// columns when a notebook shows a slice of them (kernelext.ShowTable).
type LookupPoint struct {
	Facts  int     `table:"facts n"`
	Params int     `table:"parameters"`
	Gamma  float64 `table:"γ_min" fmt:"%.3g"` // smallest decoding margin (mlp.Report.MinMargin)
}

// Run builds and verifies the lookup MLP at every size.
func (c LookupCost) Run(prog progress.Func) ([]LookupPoint, error) {
	var out []LookupPoint
	for i, n := range c.Sizes {
		fs := factset.NewTied(factset.Spherical(n, c.Dim, rng.Derive(c.Seed, fmt.Sprint("n", n))), rng.Derive(c.Seed, fmt.Sprint("map", n)))
		g, err := mlp.Lookup(fs)
		if err != nil {
			return nil, fmt.Errorf("construction: lookup n=%d: %w", n, err)
		}
		rep, err := mlp.Verify(g, fs)
		if err != nil || !rep.Stores() {
			return nil, fmt.Errorf("construction: lookup n=%d: the MLP does not store the facts: %v %s", n, err, rep)
		}
		out = append(out, LookupPoint{Facts: n, Params: g.Params(), Gamma: rep.MinMargin})
		prog.Report(i+1, len(c.Sizes), fmt.Sprintf("n=%d", n))
	}
	return out, nil
}

// DesignSweep builds the encoder–decoder for spherical fact sets of each size
// under four designs: units·d/F slack 1, 1.25 and 2 with refined codes, and
// slack 1.25 without refinement.
type DesignSweep struct {
	Dim   int
	Sizes []int
	Seed  uint64
}

// DesignRow is one design at one size; Err is set (and the sizes are 0)
// when it fails.
type DesignRow struct {
	F      int     `table:"F"`
	Slack  float64 `table:"slack u·d/F" fmt:"%.2f"` // units·d/F
	Refine bool    `table:"refine codes"`
	Units  int     `table:"units u"`
	M      int     `table:"m"`
	Hidden int     `table:"h"`
	Params int     `table:"params"`
	// Seconds per stage: separators, decoder, encoder, verify.
	Sep           float64 `table:"separators s" fmt:"%.2f"`
	Dec           float64 `table:"decoder s" fmt:"%.2f"`
	Enc           float64 `table:"encoder s" fmt:"%.2f"`
	Ver           float64 `table:"verify s" fmt:"%.2f"`
	Gamma         float64 `table:"γ_min" fmt:"%.2g"` // smallest decoding margin
	FactsPerParam float64 `table:"facts/param" fmt:"%.4g"`
	Err           string  `table:"error"`
}

// designs are DesignSweep's (slack, refine codes) pairs.
var designs = []struct {
	slack  float64
	refine bool
}{{1, true}, {1.25, true}, {2, true}, {1.25, false}}

// Run builds every design at every size; a failing design is a row with Err
// set, not an error.
func (c DesignSweep) Run(prog progress.Func) ([]DesignRow, error) {
	var out []DesignRow
	for i, F := range c.Sizes {
		fs, err := sphericalFacts(F, c.Dim, c.Seed)
		if err != nil {
			return nil, err
		}
		t0 := time.Now()
		sep, err := ComputeSeparators(fs)
		if err != nil {
			return nil, err
		}
		tsep := time.Since(t0).Seconds()
		for _, d := range designs {
			units := int(math.Ceil(d.slack * float64(F) / float64(c.Dim)))
			g, info, err := EncDec(fs, Options{Seed: c.Seed, Units: units, NoRefine: !d.refine, Separators: sep})
			r := DesignRow{F: F, Slack: float64(units*c.Dim) / float64(F), Refine: d.refine, Units: units, Sep: tsep}
			if err != nil {
				r.Err = err.Error()
			} else {
				r.M, r.Hidden, r.Params, r.Gamma = info.CodeDim, g.Hidden(), g.Params(), info.Report.MinMargin
				r.FactsPerParam = float64(F) / float64(r.Params)
				r.Dec, r.Enc, r.Ver = info.Durations["decoder"].Seconds(), info.Durations["encoder"].Seconds(), info.Durations["verify"].Seconds()
			}
			out = append(out, r)
		}
		prog.Report(i+1, len(c.Sizes), fmt.Sprintf("F=%d", F))
	}
	return out, nil
}

// MinimalSweep runs MinimalEncDec and MinimalNTK on spherical fact sets in ℝ^Dim: encdec at
// every size of EncDecFacts, the NTK at those also in NTKFacts (searched up
// to NTKMaxHidden).
type MinimalSweep struct {
	Dim          int
	EncDecFacts  []int
	NTKFacts     []int
	NTKMaxHidden int
	Seed         uint64
}

// MinimalPoint is the smallest storing MLP of one method at one size; Params
// is 0 when the search found none.
type MinimalPoint struct {
	Method  string  `table:"method"`
	F       int     `table:"F"`
	Hidden  int     `table:"min hidden"`
	M       int     `table:"code dim m"`
	Params  int     `table:"params"`
	Without int     `table:"params w/o seeded"` // parameters without the seeded tensors
	Seconds float64 `table:"search s" fmt:"%.1f"`
}

// Run searches every (method, size).
func (c MinimalSweep) Run(prog progress.Func) ([]MinimalPoint, error) {
	var out []MinimalPoint
	for i, F := range c.EncDecFacts {
		fs, err := sphericalFacts(F, c.Dim, c.Seed)
		if err != nil {
			return nil, err
		}
		for _, method := range []string{"encdec", "ntk"} {
			if method == "ntk" && !slices.Contains(c.NTKFacts, F) {
				continue
			}
			t0 := time.Now()
			minimal := MinimalEncDec
			if method == "ntk" {
				minimal = MinimalNTK
			}
			mn, err := minimal(fs, MinimalOptions{Seed: c.Seed, MaxHidden: c.NTKMaxHidden})
			pt := MinimalPoint{Method: method, F: F, Seconds: time.Since(t0).Seconds()}
			if err == nil {
				pt.Hidden, pt.M, pt.Params, pt.Without = mn.Hidden, mn.CodeDim, mn.Params, mn.ParamsWithoutSeeded
			}
			out = append(out, pt)
			prog.Report(i+1, len(c.EncDecFacts), fmt.Sprintf("%s F=%d h=%d", method, F, pt.Hidden))
		}
	}
	return out, nil
}

// AnisotropySweep compares the encoder–decoder (smallest width) with the NTK
// (at the width where it stores a spherical set of the same size) on
// conditioned (κ) and spiked (β) fact sets, for every parameter and seed.
type AnisotropySweep struct {
	F, Dim int
	Kappas []float64
	Betas  []float64
	Seeds  []uint64
}

// AnisotropyPoint is one method on one fact set, checked by exact argmax.
type AnisotropyPoint struct {
	Family   string  `table:"family"`
	Param    float64 `table:"κ or β"`
	Method   string  `table:"method"`
	Seed     uint64  `table:"seed"`
	Rho      float64 `table:"ρ" fmt:"%.3f"`
	M        int     `table:"code dim m"` // encdec only
	Accuracy float64 `table:"accuracy" fmt:"%.3f"`
}

// Run measures both families.
func (c AnisotropySweep) Run(prog progress.Func) ([]AnisotropyPoint, error) {
	base, err := sphericalFacts(c.F, c.Dim, 1)
	if err != nil {
		return nil, err
	}
	ntkMin, err := MinimalNTK(base, MinimalOptions{Seed: 1})
	if err != nil {
		return nil, err
	}
	total := (len(c.Kappas) + len(c.Betas)) * len(c.Seeds)
	var out []AnisotropyPoint
	for _, fam := range []struct {
		name   string
		params []float64
	}{{"conditioned", c.Kappas}, {"spiked", c.Betas}} {
		for _, x := range fam.params {
			for _, s := range c.Seeds {
				pts, err := anisotropyPair(fam.name, x, s, c.F, c.Dim, ntkMin.Hidden)
				if err != nil {
					return nil, err
				}
				out = append(out, pts...)
				prog.Report(len(out)/2, total, fmt.Sprintf("%s %g seed %d", fam.name, x, s))
			}
		}
	}
	return out, nil
}

// anisotropyPair builds encdec and the NTK for one fact set.
func anisotropyPair(family string, x float64, seed uint64, F, d, ntkHidden int) ([]AnisotropyPoint, error) {
	fs, err := factset.Spec{Family: family, N: F, Dim: d, Kappa: x, Beta: x, Seed: seed}.Generate()
	if err != nil {
		return nil, err
	}
	g, info, err := EncDec(fs, Options{Seed: seed})
	if err != nil {
		return nil, fmt.Errorf("construction: encdec %s %g seed %d: %w", family, x, seed, err)
	}
	ntk, err := NTKUnverified(fs, ntkHidden, NTKOptions{Seed: seed})
	if err != nil {
		return nil, err
	}
	rep, err := mlp.Verify(ntk, fs)
	if err != nil {
		return nil, err
	}
	return []AnisotropyPoint{{family, x, "encdec", seed, info.Rho, g.CodeDim, info.Report.Accuracy},
		{family, x, "ntk", seed, info.Rho, 0, rep.Accuracy}}, nil
}

// sphericalFacts is the tied spherical fact set the sweeps measure.
func sphericalFacts(n, d int, seed uint64) (*factset.FactSet, error) {
	return factset.Spec{Family: "spherical", N: n, Dim: d, Seed: seed}.Generate()
}
