// Package capacity measures fact-storage cost: the smallest hidden width
// (and the parameter count at that width) at which a method stores a fact
// set, i.e. mlp.Verify reports accuracy 1.0.
//
// Search is an integer galloping-then-bisection search over the hidden
// width with an explicit success predicate; it assumes success is monotone
// in the width (true for the constructions, true on average for GD). Measure
// runs it for one method on one generated fact set (gd, encdec, encdec-gd,
// ntk), computes the decodability ρ of the target values, and caches every
// trial and every finished point as a JSON file keyed by the full parameter
// set, so an interrupted sweep resumes where it stopped. Sweep runs a grid of
// points and writes them as CSV and JSON. Fits are the log–log power-law
// fits of the paper's figures: slope with a 95% confidence interval and R².
package capacity
