package capacity

import "github.com/factmlp/factmlp/factmlp/fit"

// Fit is the least-squares line of package fit; capacity's slope functions
// (FactsVsParams, CostVsRho) return it.
type Fit = fit.Line

// LinearFit fits y on x by least squares.
//
// Deprecated: use fit.Linear.
func LinearFit(xs, ys []float64) (Fit, error) { return fit.Linear(xs, ys) }

// PowerLaw fits y = C·x^Slope on (log₂ x, log₂ y), so Intercept = log₂ C.
//
// Deprecated: use fit.PowerLaw.
func PowerLaw(xs, ys []float64) (Fit, error) { return fit.PowerLaw(xs, ys) }
