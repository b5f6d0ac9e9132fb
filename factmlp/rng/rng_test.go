package rng

import "testing"

func draws(r interface{ Uint64() uint64 }, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.Uint64()
	}
	return out
}

func equal(a, b []uint64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSameSeedSameStream(t *testing.T) {
	if !equal(draws(New(3), 8), draws(New(3), 8)) {
		t.Fatal("New(3) gave two different streams")
	}
	if equal(draws(New(3), 8), draws(New(4), 8)) {
		t.Fatal("New(3) and New(4) gave the same stream")
	}
}

func TestDeriveSeparatesStreams(t *testing.T) {
	a, b := draws(Derive(1, "gate"), 8), draws(Derive(1, "down"), 8)
	if equal(a, b) {
		t.Fatal("different stream names gave the same draws")
	}
	if !equal(a, draws(Derive(1, "gate"), 8)) {
		t.Fatal("Derive is not deterministic")
	}
	if equal(a, draws(Derive(2, "gate"), 8)) {
		t.Fatal("Derive ignores the seed")
	}
}
