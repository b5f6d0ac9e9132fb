// Package hebbian builds the bilinear "Hebbian" fact MLPs of the successor
// paper ("MLPs are Hebbians: Constructing Efficient Fact-Storing MLPs for
// Transformers", arXiv 2607.10034; public code HazyResearch/hebbian-mlps,
// Apache-2.0, read and re-derived here, not copied):
//
//	φ(x) = (A₀x) ⊙ (A₁x),   y = W φ(x),
//
// with A₀, A₁ ∈ ℝ^{m×d} and W ∈ ℝ^{d×m}. Such an MLP is an mlp.Gated with
// the identity gate, Gate = A₀, Up = A₁, Down = W, so it verifies
// (mlp.Verify), saves (mlp.SaveFile) and enters a Transformer like every
// other fact MLP. The three variants:
//
//	Unwhitened     random A₀, A₁; W = Vᵀ Φ / F, the raw Hebbian outer product
//	Whitened       random A₀, A₁; W the ridge (whitened) readout
//	DataDependent  A₁ then A₀ fitted to the facts; W the ridge readout
//
// where Φ (F×m) holds φ(k_i) and V (F×d) the target value v_{f(i)} of each
// key, one row per fact.
//
// # Choices and where they come from
//
//   - Feature draw: A₀ then A₁, i.i.d. N(0, 1) entries from one seeded
//     stream [CODE src/hebbian/methods/hebbian/construction.py,
//     _random_feature_map]; our stream is rng.Derive(seed, "hebbian/features").
//   - Scale: random features are φ/√m [CODE model.py, BilinearFeatureMap];
//     fitted features keep their native scale. We fold 1/√m into Down, so
//     Gate and Up are the drawn matrices and can be regenerated from the
//     seed (Gated.Seeded = gate, up for the random variants).
//   - Raw readout W = VᵀΦ/F [CODE readout.py, raw_readout].
//   - Ridge readout, λ = 1e-6 by default [CODE method.py, HebbianConfig]: for
//     m ≤ F, W = (ΦᵀV/F)ᵀ (ΦᵀΦ/F + λI)⁻¹ (ridge on the normalised
//     covariance); for m > F, the dual form W = ((ΦΦᵀ + λI)⁻¹V)ᵀΦ (ridge on
//     the unnormalised Gram) [CODE readout.py, full_ridge_readout]. We keep
//     both forms, solved by Cholesky in float64.
//   - Default width m = 4d [CODE README.md of that folder; construction.py].
//   - DataDependent [CODE construction.py, _data_dependent_feature_map and
//     _fit_projection]: from unscaled random features Φ₀ and their raw
//     readout W₀ = VᵀΦ₀/F, A₁ is the ridge least-squares fit (λ as above, on
//     ‖A‖²) of the score vectors: minimise Σ_i ‖V W₀ (c_i ⊙ A₁k_i) − e_i‖²
//   - λ‖A₁‖_F² with c_i = A₀k_i, whose normal equations are
//     (C ⊙ (W₀ᵀG W₀ (C ⊙ A₁Kᵀ)))K + λA₁ = ((W₀ᵀVᵀ) ⊙ C)K with G = VᵀV
//     (our reading of their operator [INF]); then A₀ the same fit with the
//     new A₁ as partner. Solved by Jacobi-preconditioned conjugate
//     gradients as they do, but always in float64 (they drop to float32
//     when m·d > 8192) with relative tolerance 1e-10 and at most
//     min(max(2m, 128), 1024) iterations [CODE].
//   - Parameter count: the successor counts A₀, A₁ and W [CODE model.py,
//     weight_count] = 3md, which equals Gated.Params (3·h·d, no biases)
//     with h = m. SuccessorParams states it; Gated.ParamsWithoutSeeded is
//     md for the random variants (A₀, A₁ regenerate from the seed) and 3md
//     for DataDependent.
//
// # Limits at fixed d
//
// φ(x) is a vector of quadratic forms of x, so at any width the features of
// the keys span at most d(d+1)/2 dimensions: past F ≈ d²/2 adding width
// stops helping the ridge readouts, a least-squares fit to the values
// rather than to margins (at d = 32, F = 1024 neither Whitened nor
// DataDependent stored at any width tried, while GD-trained bilinear MLPs,
// the same function class, do). The raw readout's crosstalk does not vanish
// as m grows either, so Unwhitened stores only a few d facts
// (TestUnwhitenedSaturates).
//
// Build builds one MLP without checking it; package method registers the
// variants as the methods hebbian-unwhitened, hebbian-whitened and
// hebbian-data-dependent, whose builders verify each MLP exactly and whose
// width (for width searches) is m.
package hebbian
