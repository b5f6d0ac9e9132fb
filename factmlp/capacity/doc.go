// Package capacity measures fact-storage cost: the smallest hidden width
// (and the parameter count at that width) at which a method stores a fact
// set, i.e. mlp.Verify reports float64 accuracy 1.0 (the paper's criterion).
//
// Measure runs the width search of package widthsearch for one method (any
// name in the method registry: gd, encdec, encdec-gd, ntk, ...) on one
// generated fact set, building each width through the method's Builder,
// computes the decodability ρ of the target values, and caches every
// trial and every finished point as a JSON file keyed by the full parameter
// set, so an interrupted sweep resumes where it stopped. Sweep runs a grid of
// points and writes them as CSV and JSON. Fits are the log–log power-law
// fits of the paper's figures: slope with a 95% confidence interval and R².
//
// The facts-per-parameter figure (the paper's Fig. 3) is read with
// FitFactsPerParam (slopes per method and dimension, under both parameter
// counts of paper.md §1.3, on the points Record.Capped does not exclude),
// Efficiencies (bits per parameter, F·log₂|V| / params) and CostRatios /
// RatioTrends (one method's cost over another's, and its trend in F). The
// grids live in scripts/cluster/<scale>/03_facts_per_parameter.json, which
// `factmlp sweep --config` runs as they are.
package capacity
