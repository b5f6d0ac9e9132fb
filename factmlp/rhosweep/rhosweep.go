package rhosweep

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// Params are the parameters Config.Param may name.
var Params = []string{"kappa", "beta", "spread", "clusters", "n", "dim", "alpha"}

// Config is one sweep. It is JSON-encodable, so a notebook can cache the
// result under the config itself.
type Config struct {
	Base   factset.Spec // the family; Base.Seed is the first seed
	Param  string       // one of Params
	Values []float64    // the settings of Param
	Seeds  int          // seeds Base.Seed, Base.Seed+1, …
	// Alpha > 0 also measures the values whitened with strength Alpha
	// (sweeping "alpha" always does).
	Alpha float64
}

// Point is ρ(V) at one setting of the swept parameter, over seeds.
type Point struct {
	X        float64   // the parameter value
	Rho      []float64 // ρ(V) per seed
	RhoWhite []float64 // ρ(W_α V) per seed (nil when not whitened)
	OpNorm   []float64 // ‖W_α‖ per seed (nil when not whitened)
	Undecod  []int     // number of undecodable values per seed
}

// Run generates c.Base with c.Param set to each of c.Values, for every seed,
// and measures ρ of the values (and of the whitened values).
func (c Config) Run(pf progress.Func) ([]Point, error) {
	if c.Seeds < 1 {
		return nil, fmt.Errorf("rhosweep: Seeds = %d; need at least one seed", c.Seeds)
	}
	out := make([]Point, len(c.Values))
	total, done := len(c.Values)*c.Seeds, 0
	for k, x := range c.Values {
		out[k].X = x
		for s := 0; s < c.Seeds; s++ {
			spec, alpha, err := c.setting(x, uint64(s))
			if err != nil {
				return nil, err
			}
			if err := out[k].measure(spec, alpha, c.Param == "alpha"); err != nil {
				return nil, err
			}
			done++
			pf.Report(done, total, fmt.Sprintf("%s=%g", c.Param, x))
		}
	}
	return out, nil
}

// setting is the fact-set spec and whitening strength for value x and seed offset s.
func (c Config) setting(x float64, s uint64) (factset.Spec, float64, error) {
	spec, alpha := c.Base, c.Alpha
	spec.Seed = c.Base.Seed + s
	switch c.Param {
	case "kappa":
		spec.Kappa = x
	case "beta":
		spec.Beta = x
	case "spread":
		spec.Spread = x
	case "clusters":
		spec.Clusters = int(x)
	case "n":
		spec.N = int(x)
	case "dim":
		spec.Dim = int(x)
	case "alpha":
		alpha = x
	default:
		return spec, 0, fmt.Errorf("rhosweep: cannot sweep %q; accepted: %v", c.Param, Params)
	}
	spec, err := spec.Normalize()
	return spec, alpha, err
}

// measure appends one seed's ρ (and whitened ρ when whiten or alpha > 0) to p.
func (p *Point) measure(spec factset.Spec, alpha float64, whiten bool) error {
	values, err := spec.Table(spec.N, "values")
	if err != nil {
		return err
	}
	res, err := geometry.Decodability(values, geometry.Options{})
	if err != nil {
		return err
	}
	p.Rho = append(p.Rho, res.Rho)
	p.Undecod = append(p.Undecod, len(res.Undecodable))
	if alpha <= 0 && !whiten {
		return nil
	}
	w, err := geometry.NewWhitener(values, alpha, 0)
	if err != nil {
		return err
	}
	rw, err := geometry.Decodability(w.Values(values), geometry.Options{})
	if err != nil {
		return err
	}
	p.RhoWhite = append(p.RhoWhite, rw.Rho)
	p.OpNorm = append(p.OpNorm, w.OpNorm)
	return nil
}
