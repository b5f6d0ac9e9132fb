// Package method is how a fact MLP gets built: one Method interface for every
// construction and training recipe (the encoder–decoder construction, its GD
// variant, plain GD, the NTK baseline, the lookup table, the least-squares
// fit), one registry of their names, and the one search for the smallest
// width at which a method stores a fact set.
//
// # Design
//
// A Method has a Name and prepares a Builder for one fact set and seed; the
// Builder builds the MLP at any hidden width. The split follows what the
// methods share across widths: the encoder–decoder construction computes the
// optimal separators once per fact set and reuses them at every width, the
// GD encoder–decoder draws its decoder once, and a width search calls Build
// many times. Every Build returns the MLP with its exact check (mlp.Verify);
// whether that counts as "stored" is the caller's rule (capacity counts
// float64 exact argmax, as the paper does; an MLP that goes into a float32
// Transformer must store in both precisions, see Verified). A width at which
// a method cannot build at all (too few units for the encoder system) is a
// *WidthError, which width searches read as "does not store".
//
// Methods are plain configurable values (EncDec{Act: mlp.SiLU},
// GD{Options: ...}), in the spirit of gonum's optimize.Method. Callers that
// select a method by name (the CLI, capacity sweeps, Transformer configs) go
// through the registry: New(name, Settings) builds a configured Method,
// Names lists what is accepted, and every unknown-name error lists Names.
// An Entry says which Settings its method takes (gonum's Uses idea), so a
// flag that does not apply to a method is an error naming the methods it
// applies to, without a switch on names anywhere else.
//
// BuildFunc is the one-call shape (fact set, width, seed → verified MLP) the
// Transformer and the editing experiments hold; Verified turns a Method into
// one and FromFunc turns one back into a Method.
//
// Search finds the smallest storing width of any Builder with package
// widthsearch; Smallest does the same with the method's own strategy where it
// has one: the encoder–decoder construction, whose width is m·u, searches its
// units per code coordinate (construction.MinimalEncDec).
package method
