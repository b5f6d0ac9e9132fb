// Package facts is factmlp's real fact set: countries of the world with their
// capital, currency, region and main language, taken from the Go module
// github.com/pariz/gountries (v0.1.6) and written to data/countries.csv by
// data/gen. It also holds the sentence templates ("The capital of France is
// Paris", ≥ 8 training phrasings and held-out phrasings per relation) and a
// word-level tokenizer in which every entity (a country, a capital, a
// currency, ...) is a single token, as the fact-editing experiment needs.
package facts
