// Package gomlxtrain is the GoMLX training core shared by everything in
// factmlp that trains: the GD fact MLP (package training), the SSFR
// Transformer (package transformer) and the editing language model
// (package editing).
//
// It holds one definition of each piece those trainers used to write out
// for themselves:
//
//   - Adam: the update rule (AdamW-style decoupled weight decay), as a graph
//     update of one parameter and as a float64 step on slices;
//   - Cosine: the learning-rate schedule, linear warm-up then cosine decay
//     to a floor;
//   - Gated: the gated-MLP forward graph y = Down·(σ(Gate·x+b_g) ⊙
//     (Up·x+b_u)) + b_d on inputs of any rank;
//   - float64 (gonum) ↔ float32 (tensor) conversion, and mlp.Gated as
//     graph-input tensors;
//   - Signature: graph inputs by name instead of by position.
//
// GoMLX's own optimizer package (ml/train/optimizer) keeps its state in
// model-scope variables and forms the update as lr·(m·1/(1−β₁ᵗ)) /
// (√(v·1/(1−β₂ᵗ)) + ε): the same rule rounded differently, which would
// change every trained number of the course (on the GD step, F = 256, d = 32,
// h = 64: 825 of 6144 weights differ after one step, 90% after ten), for no
// gain in speed (the same GD step measured within 1% of this Adam). Adam
// here reproduces, bit for bit, the formulation each trainer was written and
// measured with.
package gomlxtrain
