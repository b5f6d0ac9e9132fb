package geometry

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/progress"
)

// SweepPoint is ρ(V) at one setting of a swept parameter, over seeds.
type SweepPoint struct {
	X        float64   // the parameter value
	Rho      []float64 // ρ(V) per seed
	RhoWhite []float64 // ρ(W_α V) per seed (nil when α = 0)
	OpNorm   []float64 // ‖W_α‖ per seed (nil when α = 0)
	Undecod  []int     // number of undecodable values per seed
}

// Sweep generates base with one parameter set to each of xs — "kappa",
// "beta", "spread", "clusters", "n", "dim" or "alpha" (whitening strength) —
// for seeds base.Seed, base.Seed+1, …, and measures ρ of the values, and
// with alpha > 0 (or param "alpha") also ρ of the whitened values.
func Sweep(base factset.Spec, param string, xs []float64, seeds int, alpha float64, pf progress.Func) ([]SweepPoint, error) {
	if seeds < 1 {
		return nil, fmt.Errorf("geometry: sweep needs at least one seed, got %d", seeds)
	}
	out := make([]SweepPoint, len(xs))
	total, done := len(xs)*seeds, 0
	for k, x := range xs {
		out[k].X = x
		for s := 0; s < seeds; s++ {
			spec := base
			spec.Seed = base.Seed + uint64(s)
			a := alpha
			switch param {
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
				a = x
			default:
				return nil, fmt.Errorf("geometry: cannot sweep %q; accepted: kappa, beta, spread, clusters, n, dim, alpha", param)
			}
			spec, err := spec.Normalize()
			if err != nil {
				return nil, err
			}
			values, err := spec.Table(spec.N, "values")
			if err != nil {
				return nil, err
			}
			res, err := Decodability(values, Options{})
			if err != nil {
				return nil, err
			}
			out[k].Rho = append(out[k].Rho, res.Rho)
			out[k].Undecod = append(out[k].Undecod, len(res.Undecodable))
			if a > 0 || param == "alpha" {
				w, err := NewWhitener(values, a, 0)
				if err != nil {
					return nil, err
				}
				rw, err := Decodability(w.Values(values), Options{})
				if err != nil {
					return nil, err
				}
				out[k].RhoWhite = append(out[k].RhoWhite, rw.Rho)
				out[k].OpNorm = append(out[k].OpNorm, w.OpNorm)
			}
			done++
			pf.Report(done, total, fmt.Sprintf("%s=%g", param, x))
		}
	}
	return out, nil
}
