package method

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/hebbian"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// Hebbian is one of the successor's bilinear Hebbian constructions
// (package hebbian): hidden width = feature width m, default 4d.
type Hebbian struct {
	Variant hebbian.Variant
	Ridge   float64 // λ (0: hebbian.DefaultRidge)
}

// Name is the variant's method name ("hebbian-whitened", ...).
func (m Hebbian) Name() string { return m.Variant.MethodName() }

// Prepare checks the variant and fs; every width draws its own features.
func (m Hebbian) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	if _, err := hebbian.ParseVariant(string(m.Variant)); err != nil {
		return nil, fmt.Errorf("method hebbian: %w", err)
	}
	if err := hebbian.CheckFacts(fs); err != nil {
		return nil, fmt.Errorf("method %s: %w", m.Name(), err)
	}
	return hebbianBuilder{m, fs, seed}, nil
}

type hebbianBuilder struct {
	m    Hebbian
	fs   *factset.FactSet
	seed uint64
}

// Build builds the variant at feature width hidden (0: 4d) and verifies it;
// a ridge system that is numerically singular or a feature fit that fails
// is a *WidthError.
func (b hebbianBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	if hidden < 0 {
		return nil, mlp.Report{}, fmt.Errorf("method %s: feature width %d; it must be ≥ 1 (0 takes the default 4d = %d)", b.m.Name(), hidden, hebbian.DefaultWidth(b.fs.Dim()))
	}
	g, err := hebbian.Build(b.fs, hidden, hebbian.Options{Variant: b.m.Variant, Ridge: b.m.Ridge, Seed: b.seed})
	if err != nil {
		return nil, mlp.Report{}, &WidthError{b.m.Name(), hidden, err}
	}
	rep, err := mlp.Verify(g, b.fs)
	return g, rep, err
}

// FirstWidth is the successor's default m = 4d.
func (b hebbianBuilder) FirstWidth() int { return hebbian.DefaultWidth(b.fs.Dim()) }

func init() {
	summaries := map[hebbian.Variant]string{
		hebbian.Unwhitened:    "bilinear Hebbian MLP: random features, raw outer-product readout (successor paper)",
		hebbian.Whitened:      "bilinear Hebbian MLP: random features, ridge readout (successor paper)",
		hebbian.DataDependent: "bilinear Hebbian MLP: fitted features, ridge readout (successor paper)",
	}
	for _, v := range hebbian.Variants {
		err := Register(Entry{Name: v.MethodName(), Summary: summaries[v], DefaultAct: mlp.Identity,
			// Past m ≈ F the ridge readout's dual solve and the feature
			// fit grow with m; 1<<14 bounds a failing search.
			SearchMax: 1 << 14,
			New:       func(Settings) (Method, error) { return Hebbian{Variant: v}, nil }})
		if err != nil {
			panic(err) // a programming error in the table above
		}
	}
}
