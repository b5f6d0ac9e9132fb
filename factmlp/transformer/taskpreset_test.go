package transformer

import (
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/rng"
)

func TestTaskPresets(t *testing.T) {
	if d, _ := TaskByName("", 64); d != DefaultTask(64) || d != TaskAuthors(64) {
		t.Fatalf("the default preset is %+v, DefaultTask %+v", d, DefaultTask(64))
	}
	a := TaskAuthors(64)
	if a.Junk != 9 || a.MinLen != 9 || a.MaxLen != 9 || a.SeqLen() != 21 || a.Name() != "authors-9junk" {
		t.Fatalf("authors' layout %+v (%s), want 9 junk tokens, runs of 9", a, a.Name())
	}
	e, err := TaskByName("easy-4junk", 64)
	if err != nil || e != TaskEasy(64) || e.Junk != 4 || e.Name() != "easy-4junk" {
		t.Fatalf("easy preset %+v (%v)", e, err)
	}
	if n := (Task{Facts: 8, Junk: 6, MinLen: 2, MaxLen: 5}).Name(); n != "J=6, runs 2-5" {
		t.Errorf("custom layout named %q", n)
	}
	if _, err := TaskByName("hard", 64); err == nil || !strings.Contains(err.Error(), `"hard"`) || !strings.Contains(err.Error(), "easy-4junk") {
		t.Errorf("unknown preset: err = %v", err)
	}
	// The authors' layout has no length randomness: Q is always at 19.
	b, err := a.Sample(rng.New(1), 50, rng.New(2).Perm(64))
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Size {
		if b.QPos[i] != 19 || b.Len[i] != 21 {
			t.Fatalf("row %d: Q at %d, length %d; want 19 and 21", i, b.QPos[i], b.Len[i])
		}
	}
}

func TestSampleKeys(t *testing.T) {
	task := Task{Facts: 10, Junk: 3, MinLen: 1, MaxLen: 4}
	mapping := rng.New(1).Perm(10)
	keys := []int{3, 3, 0, 9}
	b, err := task.SampleKeys(rng.New(2), keys, mapping)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if int(b.Key[i]) != k || int(b.Target[i]) != mapping[k] || int(b.Tokens[i*b.SeqLen+int(b.QPos[i])+1]) != mapping[k] {
			t.Fatalf("row %d: key %d target %d, want key %d target %d", i, b.Key[i], b.Target[i], k, mapping[k])
		}
	}
	if _, err := task.SampleKeys(rng.New(2), []int{1, 10}, mapping); err == nil || !strings.Contains(err.Error(), "keys[1] = 10") {
		t.Errorf("a key outside the facts: err = %v", err)
	}
	if _, err := task.SampleKeys(rng.New(2), nil, mapping); err == nil {
		t.Error("no keys were accepted")
	}
}

// EvaluateEveryFact rounds the sequences up to a multiple of F; the same
// seed gives the same result.
func TestEvaluateEveryFact(t *testing.T) {
	cfg := RunConfig{Facts: factset.Spec{N: 32, Dim: 16, Seed: 3}, Method: "encdec", Seed: 3, Task: Task{Facts: 32, Junk: 2, MinLen: 1, MaxLen: 3}}
	m, fs, _, err := Prepare(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, err := EvaluateEveryFact(m, fs.Map, 40, 5)
	if err != nil {
		t.Fatal(err)
	}
	if a.Sequences != 64 {
		t.Fatalf("%d sequences, want 40 rounded up to a multiple of 32 = 64", a.Sequences)
	}
	b, _ := EvaluateEveryFact(m, fs.Map, 40, 5)
	if a != b {
		t.Fatalf("same seed, different results: %+v vs %+v", a, b)
	}
}
