package capacity

import "github.com/factmlp/factmlp/factmlp/fit"

// Fit is the least-squares line of package fit; capacity's slope functions
// (FactsVsParams, CostVsRho) return it.
type Fit = fit.Line
