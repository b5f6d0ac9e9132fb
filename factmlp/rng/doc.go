// Package rng gives every random draw in factmlp an explicit seed.
//
// All generators take a *rand.Rand built by New, so the same seed gives the
// same fact set, the same construction and the same training run.
package rng
