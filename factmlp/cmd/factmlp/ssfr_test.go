package main

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSSFRJSONSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	out, stderr, code := run(t, "ssfr", "--facts", "64", "--dim", "32", "--steps", "20", "--eval", "200", "--json", "--save", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]float64
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	keys := sortedKeys(raw)
	if want := []string{"fact_adaptive_accuracy", "lipschitz", "seconds", "steps", "train_accuracy"}; !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	if raw["steps"] < 1 || raw["steps"] > 20 || raw["lipschitz"] <= 0 || raw["train_accuracy"] < 0 || raw["train_accuracy"] > 1 {
		t.Fatalf("implausible result %v", raw)
	}
	out2, stderr, code := run(t, "ssfr", "--load", path, "--eval", "200", "--json")
	if code != 0 {
		t.Fatalf("--load: exit %d: %s", code, stderr)
	}
	var raw2 map[string]float64
	if err := json.Unmarshal([]byte(out2), &raw2); err != nil {
		t.Fatal(err)
	}
	if raw2["steps"] != 0 || raw2["train_accuracy"] != raw["train_accuracy"] {
		t.Fatalf("reloaded model: %v; trained: %v (same eval seed must give the same recall)", raw2, raw)
	}
}

func TestSSFRBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"ssfr", "--mlp-method", "nope"},
		{"ssfr", "--ablation", "nope"},
		{"ssfr", "--mlp-method", "ntk", "--whiten", "0.5"},
		{"ssfr", "--dim", "31", "--facts", "16"},
	} {
		_, stderr, code := run(t, args...)
		if code == 0 || !strings.Contains(stderr, "ssfr") {
			t.Errorf("%v: exit %d, stderr %q; want an error", args, code, stderr)
		}
	}
}
