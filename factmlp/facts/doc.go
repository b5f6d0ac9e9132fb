// Package facts holds factmlp's real fact sets and their phrasings.
//
// Countries: the countries of the world with their capital, currency,
// region and main language, taken from the Go module
// github.com/pariz/gountries (v0.1.6) and written to data/countries.csv by
// data/gen, with sentence templates ("The capital of France is Paris", ≥ 8
// training phrasings and held-out phrasings per relation) — the small
// teaching example.
//
// Books: the book → author table of the authors' fact-editing experiments
// (data/book_authors, the first 16,384 rows of HazyResearch/hebbian-mlps'
// book_authors.csv, Apache-2.0), streamed by ReadBooks (any first N rows),
// phrased in the 16 templates of BookRelation (our own wording) —
// the reproduction's fact set.
//
// Both come with a word-level tokenizer in which every entity (a country, a
// capital, a book, an author) is a single token, as the fact-editing
// experiment needs.
package facts
