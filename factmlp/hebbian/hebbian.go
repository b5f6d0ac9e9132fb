package hebbian

import (
	"fmt"
	"math"
	"strings"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// Variant is one of the successor's three Hebbian constructions.
type Variant string

// The variants, spelled as the successor's `variant` setting.
const (
	Unwhitened    Variant = "unwhitened"
	Whitened      Variant = "whitened"
	DataDependent Variant = "data_dependent"
)

// Variants lists the variants in the successor's order.
var Variants = []Variant{Unwhitened, Whitened, DataDependent}

// ParseVariant accepts a variant's name ("unwhitened", "whitened",
// "data_dependent", also with "-" for "_") or its method name
// ("hebbian-whitened", ...).
func ParseVariant(s string) (Variant, error) {
	t := strings.ReplaceAll(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "hebbian-"), "-", "_")
	for _, v := range Variants {
		if string(v) == t {
			return v, nil
		}
	}
	return "", fmt.Errorf("hebbian: unknown variant %q; accepted: unwhitened, whitened, data_dependent", s)
}

// MethodName is the variant's name in the method registry and in fact-MLP
// files: "hebbian-unwhitened", "hebbian-whitened", "hebbian-data-dependent".
func (v Variant) MethodName() string {
	return "hebbian-" + strings.ReplaceAll(string(v), "_", "-")
}

// DefaultRidge is the successor's ridge λ.
const DefaultRidge = 1e-6

// DefaultWidth is the successor's default feature width m = 4d.
func DefaultWidth(d int) int { return 4 * d }

// Options configure Build.
type Options struct {
	Variant Variant // required
	// Ridge is λ (0: DefaultRidge; negative is an error).
	Ridge float64
	Seed  uint64 // seeds the random features
}

// SuccessorParams is the successor's parameter count of a Hebbian MLP: A₀,
// A₁ and W, 3·m·d (equal to g.Params() for an MLP built here, which has
// no biases).
func SuccessorParams(g *mlp.Gated) int {
	return g.Gate.RawMatrix().Rows*g.Gate.RawMatrix().Cols + g.Up.RawMatrix().Rows*g.Up.RawMatrix().Cols +
		g.Down.RawMatrix().Rows*g.Down.RawMatrix().Cols
}

// Build builds the Hebbian MLP of variant o.Variant with feature width m
// (0: DefaultWidth) for fs. It does not check that the MLP stores the facts
// (mlp.Verify does). The MLP's Method is the variant's MethodName.
func Build(fs *factset.FactSet, m int, o Options) (*mlp.Gated, error) {
	if fs == nil {
		return nil, fmt.Errorf("hebbian: no fact set")
	}
	if err := nonEmpty(fs); err != nil {
		return nil, err
	}
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	if _, err := ParseVariant(string(o.Variant)); err != nil || o.Variant == "" {
		return nil, fmt.Errorf("hebbian: unknown variant %q; accepted: unwhitened, whitened, data_dependent", o.Variant)
	}
	if m == 0 {
		m = DefaultWidth(fs.Dim())
	}
	if m < 1 {
		return nil, fmt.Errorf("hebbian: feature width m = %d; it must be ≥ 1 (0 takes the default 4d)", m)
	}
	lambda := o.Ridge
	if lambda == 0 {
		lambda = DefaultRidge
	}
	if !(lambda > 0) || math.IsInf(lambda, 0) {
		return nil, fmt.Errorf("hebbian: ridge %g; it must be positive and finite (0 takes the default %g)", o.Ridge, DefaultRidge)
	}
	d := fs.Dim()
	K, V := fs.Keys, fs.Targets()
	a0, a1 := drawFeatures(m, d, o.Seed)
	g := &mlp.Gated{Gate: a0, Up: a1, Act: mlp.Identity, Method: o.Variant.MethodName(), Seed: o.Seed}
	scale := 1 / math.Sqrt(float64(m))
	if o.Variant == DataDependent {
		var err error
		if g.Gate, g.Up, err = fitFeatures(a0, a1, K, V, lambda); err != nil {
			return nil, err
		}
		scale = 1 // fitted features keep their scale
	} else {
		g.Seeded = []string{"gate", "up"}
	}
	Phi := features(g.Gate, g.Up, K)
	Phi.Scale(scale, Phi)
	var W *mat.Dense
	if o.Variant == Unwhitened {
		W = rawReadout(V, Phi)
	} else {
		var err error
		if W, err = ridgeReadout(V, Phi, lambda); err != nil {
			return nil, err
		}
	}
	W.Scale(scale, W) // y = W·(scale·φ_raw)
	g.Down = W
	return g, nil
}

// drawFeatures draws A₀ then A₁ (m×d, N(0, 1) entries) from the seed's
// feature stream.
func drawFeatures(m, d int, seed uint64) (*mat.Dense, *mat.Dense) {
	r := rng.Derive(seed, "hebbian/features")
	draw := func() *mat.Dense {
		x := make([]float64, m*d)
		for i := range x {
			x[i] = r.NormFloat64()
		}
		return mat.NewDense(m, d, x)
	}
	a0 := draw()
	return a0, draw()
}

// features returns Φ (n×m) with rows (A₀k) ⊙ (A₁k) for the rows k of K.
func features(a0, a1, K *mat.Dense) *mat.Dense {
	var p, q mat.Dense
	p.Mul(K, a0.T())
	q.Mul(K, a1.T())
	p.MulElem(&p, &q)
	return &p
}

// nonEmpty refuses a fact set without keys, values or facts before anything
// (gonum included) sees its empty matrices.
func nonEmpty(fs *factset.FactSet) error {
	if fs.Keys == nil || fs.Values == nil || fs.Keys.IsEmpty() || fs.Values.IsEmpty() || len(fs.Map) == 0 {
		return fmt.Errorf("hebbian: empty fact set (no keys, values or map); a Hebbian MLP needs at least one fact")
	}
	return nil
}

// CheckFacts is the check Build makes on fs before building: not nil, not
// empty, valid (factset.FactSet.Validate).
func CheckFacts(fs *factset.FactSet) error {
	if fs == nil {
		return fmt.Errorf("hebbian: no fact set")
	}
	if err := nonEmpty(fs); err != nil {
		return err
	}
	return fs.Validate()
}
