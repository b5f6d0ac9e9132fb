// Package construction builds fact-storing gated MLPs in closed form:
//
//   - EncDec, the encoder–decoder construction. The decoder is a random
//     Gaussian projection R (m×d, entries N(0, 1/m)) that compresses each
//     value's optimal separator u*_v (package geometry) into a code
//     c_v = R·u*_v; m is the smallest code dimension whose R passes the
//     exact decode check ⟨R u*_j, R(v_j − v_l)⟩ > 0 for every target j and
//     every l ≠ j (MinDecoder; a few failing codes may be replaced by the
//     optimal separator of the projected values R·V, see DecoderAt). The
//     encoder e(x) = B(σ(Gx) ⊙ Ax) has u hidden units per code coordinate
//     (B a fixed 0/1 block matrix) and all coordinates share the same u
//     random gates, so the m linear systems "coordinate c of e(k_i) is
//     c_{f(i),c}" share one matrix M = [diag(σ(K g_r)) K]_r (|K| equations,
//     u·d unknowns): the minimum-norm solution factors the |K|×|K| Gram
//     MMᵀ = (SSᵀ) ⊙ (KKᵀ), S = σ(KGᵀ), once by Cholesky for all m
//     right-hand sides. The result collapses to the standard gated MLP
//     y = RᵀB(σ(Gx) ⊙ Ax) with hidden width h = m·u; its gate and down
//     tensors are regenerated from the seed.
//   - NTK, the baseline of Nichani et al. (2024) exactly as the successor
//     code builds it (float64, normalised Hermite features of degree 1,
//     ReLU by default): random gates, unit-norm random down columns, and a
//     one-step associative memory for the up projection.
//   - MinimalEncDec, the encoder–decoder's own search for its smallest
//     storing width m·u (package method's Smallest runs it for encdec and
//     the generic width search for every other method).
//
// Every constructed MLP is checked with mlp.Verify (float64 and float32); a
// construction that does not store its facts returns an error.
package construction
