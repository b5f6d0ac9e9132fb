// Package transformer trains a one-layer Transformer to read a frozen
// fact-storing MLP on the synthetic sequential factual recall task (SSFR,
// paper §6): sequences
//
//	<junk…> K <junk…> Q V
//
// where K is a fact key token, Q a query token and V = f(K) the value token
// the model must predict at Q.
//
// The model follows the paper's constraints: one head, RoPE, token embeddings
// tied to the output head and frozen to the fact set's embeddings, W_v = W_o = I
// frozen, no residual connections, a frozen pre-MLP RMSNorm scale, and the
// frozen fact MLP in the MLP slot. Only W_q and W_k train (AdamW). Each
// constraint can be switched off on its own (Ablation) to measure what it buys.
//
// Only the query position's attention row is computed: the loss is defined
// there alone, and with causal attention nothing else influences it, so this
// is exact and about T times cheaper than a full forward pass.
//
// Metrics: recall with the MLP the model trained with; fact-adaptive accuracy
// (swap in a fresh MLP storing a new random map on the same embeddings and
// evaluate without retraining); the MLP's margin on the inputs attention
// actually delivers; and the MLP's Lipschitz constant (mlp.MeasureLipschitz;
// JacobianGoMLX cross-checks its closed form with GoMLX autodiff).
//
// ScalingStudy is the paper's Figure 4 (smallest MLP the Transformer reads
// beside the smallest that stores); ParamRatios compares two methods' points
// seed by seed (e.g. a Hebbian MLP over GD's, in the Transformer or
// standalone).
//
// The fact MLP comes from any method of package method (RunConfig.Method
// names one, RunConfig.MLP gives one); width searches use package
// widthsearch.
package transformer
