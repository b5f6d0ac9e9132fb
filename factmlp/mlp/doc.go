// Package mlp is the fact-storing MLP every method produces: a gated MLP
//
//	y = Down · (σ(Gate·x + b_gate) ⊙ (Up·x + b_up)) + b_down
//
// held in float64, with the exact verification that every construction must
// pass (the argmax of ⟨y, v_j⟩ over all values, for every key) and parameter
// counting under both conventions (all stored tensors, or without the tensors
// regenerated from a seed).
//
// Properties of a fact MLP live here too: its local Lipschitz constant at the
// keys (MeasureLipschitz, JacobianNorm), and Lookup, the trivial one-unit-per-
// key MLP that every construction is compared against.
package mlp
