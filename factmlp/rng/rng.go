package rng

import "math/rand/v2"

// New returns a PCG generator seeded deterministically from seed.
func New(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
}

// Derive returns a generator for a named sub-stream of seed, so that adding a
// draw in one place does not shift the draws somewhere else.
func Derive(seed uint64, stream string) *rand.Rand {
	h := uint64(1469598103934665603) // FNV-1a
	for i := 0; i < len(stream); i++ {
		h ^= uint64(stream[i])
		h *= 1099511628211
	}
	return rand.New(rand.NewPCG(seed^h, h))
}
