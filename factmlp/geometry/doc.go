// Package geometry measures the geometry of value embeddings that decides
// whether, and how cheaply, an MLP can store a fact set under dot-product
// decoding: decodability ρ(V), the optimal separators u*_i, and whitening.
//
// # Decodability
//
// For values v_1..v_n ∈ ℝ^d and an anchor i, let a_ij = (v_i − v_j)/‖v_i − v_j‖
// (j ≠ i) be the normalised differences. Then
//
//	ρ_i(V) = max_{‖u‖≤1} min_{j≠i} ⟨u, a_ij⟩,   ρ(V) = min_i ρ_i(V),
//
// and the maximiser u*_i (unit length) is the optimal separator of value i:
// an output y = u*_i decodes to v_i with margin ⟨u*_i, v_i − v_j⟩ ≥ ρ_i‖v_i − v_j‖.
//
// By the minimax theorem ρ_i is also the Euclidean distance from the origin to
// the convex hull of {a_ij}_j, and u*_i = p*/‖p*‖ where p* is the hull's
// minimum-norm point. Decodability computes p* with Wolfe's minimum-norm-point
// algorithm over a working set of differences (only the few differences that
// touch the smallest spherical cap are active), adding the most violated
// differences until none is violated, and certifies every anchor with a duality
// gap: ρ_i is reported as the value min_j ⟨u*_i, a_ij⟩ that u*_i actually
// attains (a lower bound) and ‖p*‖ is an upper bound; their difference is
// Result.Gap[i].
//
// A value is undecodable when ρ_i ≤ Options.UndecodableTol (default 1e-9):
// then 0 lies (up to that tolerance) in the convex hull of the differences, no
// output direction makes v_i the unique argmax, and its separator row is zero.
// A fact set whose targets include an undecodable value is infeasible
// (CheckFeasible).
//
// # Whitening
//
// Whitener implements value whitening with strength α ∈ [0,1] that keeps
// dot-product decoding intact: W_α = (Σ̂ + εI)^(−α/2) with Σ̂ the uncentred
// second moment of the values scaled to unit average eigenvalue. Values are
// whitened (ṽ = W_α v); an MLP built for the whitened values emits ỹ and its
// output is mapped back by y = W_α ỹ, so ⟨y, v_j⟩ = ⟨ỹ, ṽ_j⟩ for every value
// (W_α is symmetric) and the language model's unembedding is untouched.
package geometry
