// Package construction builds fact-storing gated MLPs in closed form:
//
//   - EncDec, the encoder–decoder construction: a random Gaussian projection
//     R (m×d) compresses each value's optimal separator u*_v to a code
//     c_v = R·u*_v (m ≈ C·ρ⁻²·ln|V|, checked exactly for every pair of values),
//     and a gated encoder e(x) = B(σ(Gx) ⊙ Ax) with random gates G sends
//     every key exactly to its value's code; A solves a linear system. The
//     result collapses to the standard gated MLP y = RᵀB(σ(Gx) ⊙ Ax).
//   - NTK, the baseline of Nichani et al. (2024) as the successor code builds
//     it: random gates and unit-norm down columns, a one-step associative
//     memory for the up projection.
//   - MinimalWidth, the smallest hidden width (and code dimension) at which a
//     method stores a fact set, found by binary search with mlp.Verify as the
//     predicate.
//
// Every constructed MLP is checked with mlp.Verify (float64 and float32);
// a construction that does not store its facts returns an error.
package construction
