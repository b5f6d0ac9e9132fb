// Package editing is the fact-editing experiment of the paper (§7): a
// one-layer Transformer language model whose MLP slot holds a frozen
// fact-storing MLP, edited either by swapping in a whole new fact MLP (the
// paper's modular editing) or by the locate-and-edit baselines MEMIT, ROME
// and AlphaEdit applied to the fact MLP's down-projection.
//
// The baselines are plain linear algebra on W = Down (d×h). For altered facts
// with keys K_a (h×n_a, the down-projection inputs at the query position)
// and target residuals R (d×n_a, the change of the MLP output that makes the
// new object the next token), and preserved keys K_p (h×n_p) with
// C = K_pK_pᵀ/n_p:
//
//	MEMIT      ΔW = R K_aᵀ (λ C + K_aK_aᵀ)⁻¹
//	AlphaEdit  ΔW = R K_aᵀ P (K_aK_aᵀ P + μI)⁻¹,  P = projector onto the
//	           eigenvectors of K_pK_pᵀ with eigenvalue < tol·λ_max
//	ROME       for each (r, k) in turn: W += (W₀k + r − Wk)(C⁻¹k)ᵀ / (kᵀC⁻¹k)
//
// Config.Relations scales the number of facts relative to the fact MLP's
// width, as in the authors' setup (16,384 facts in 512 units, so a 10% edit
// is 3.2× the width): one fact per (country, relation), keyed by the
// normalised sum of the subject's and the relation noun's embeddings, which
// the LM's attention must deliver to the query position. Relations with few
// distinct objects (region: 5) are cheap to store, so more facts fit a
// given width than with capitals alone.
//
// MLP swapping works only if the LM reads whatever MLP sits in its slot, not
// the quirks of the one it was trained with. BuildBase therefore trains the
// LM with Config.AdaptiveMaps extra fact MLPs, each storing a random
// re-assignment of the objects, taking turns in the slot (fact-adaptive
// training, LM.TrainVariants). The fact MLP is a CE-trained GD MLP whose
// values are every token of the vocabulary, as the LM's tied head reads it.
//
// Two fact sets (Config.Facts): the country capitals (the small teaching
// example, with fact-adaptive training by default) and the authors' book →
// author facts (FactsBooks; the first N rows of data/book_authors, 16
// phrasings per fact, each book and author one token), whose defaults
// follow the authors' base model: a single MSE-trained GD fact MLP
// (PaperBooksConfig is their size).
//
// Hyper-parameters of the baselines are chosen on a validation split
// (Base.ValidationSplit: as many altered facts, disjoint from the test
// split's where possible, with their own new objects) and applied once to
// the test split, which selection never measures.
//
// AlphaEdit here follows the successor code (paper.md §7.2): the projector
// is built from K_pK_pᵀ over the preserved facts' keys (not from a general
// corpus' covariance as in the AlphaEdit paper, where 100,000 Wikipedia
// keys are used and the threshold is 1e-2 on their second-moment
// eigenvalues), with the threshold relative to the largest eigenvalue. In a
// fact MLP the preserved keys span nearly every hidden direction, so the
// null space is small or empty (Result.NullSpaceDim reports it) and
// AlphaEdit has little room to write in; its low score measures that
// premise failing, not a bug in the update.
//
// The swapped-in MLP is built like the base's (the authors' protocol)
// unless Config.SwapMethod names another registered method (package
// method: encdec, hebbian-data-dependent, ...) and Config.SwapHidden
// another width; factmlp edit's --mlp-method and --swap-hidden set them.
//
// Ablations is the ablation study of notebook 07c (config in, records
// out, progress, a disk cache per part): the reference base model edited
// at every fraction, then one change at a time — fact-MLP width,
// fact-adaptive training, the router forced open, the swap MLP's method —
// and sequential rounds of edits (Base.Sequential). AblationRows,
// Advantages and RoundBands summarise its records over seeds with 95%
// confidence intervals.
//
// C carries a tiny ridge (1e-9 of its mean eigenvalue) so that it is
// invertible even when the preserved keys do not span the hidden space.
package editing
