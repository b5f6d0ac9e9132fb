// Package factset holds fact sets: key embeddings K (|K|×d), value embeddings
// V (|V|×d) and a map f from keys to values, with generators for the
// embedding families of the paper and strict validation.
//
// An MLP g stores a fact set when, for every key k_i, the dot product
// ⟨g(k_i), v_j⟩ is largest at j = f(i) (dot-product decoding, as a language
// model's softmax head decodes).
package factset
