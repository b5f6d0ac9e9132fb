package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func editJSONOf(t *testing.T, args ...string) (map[string]any, string) {
	t.Helper()
	out, stderr, code := run(t, append([]string{"edit"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return raw, stderr
}

func TestEditJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	raw, stderr := editJSONOf(t, "--method", "memit", "--fraction", "0.2", "--max-facts", "30", "--dim", "32",
		"--hidden", "16", "--mlp-epochs", "2000", "--adaptive-maps", "2", "--steps", "400", "--grid", "small", "--seed", "3", "--json")
	keys := sortedKeys(raw)
	want := []string{"altered", "base_recall", "base_seconds", "edit_seconds", "efficacy", "facts", "hidden", "offtarget_ce_delta", "offtarget_ppl_ratio",
		"params", "paraphrase", "score", "seconds", "specificity", "validation_score"}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for _, k := range []string{"efficacy", "paraphrase", "specificity", "score", "validation_score", "base_recall"} {
		if v := raw[k].(float64); v < 0 || v > 1 {
			t.Fatalf("%s = %v out of [0, 1]", k, v)
		}
	}
	// The reported time is the whole command's, not only the edit's.
	if s, b, e := raw["seconds"].(float64), raw["base_seconds"].(float64), raw["edit_seconds"].(float64); s < b+e || b <= 0 {
		t.Fatalf("seconds %v < base %v + edit %v", s, b, e)
	}
	if !strings.Contains(stderr, "edit: ") || !strings.Contains(stderr, "base model ready") {
		t.Fatalf("no progress on stderr: %q", stderr)
	}
}

// Books, with the edit split seed apart from the training seed: another
// split seed edits the same base model.
func TestEditBooksSplitSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	args := []string{"--facts", "books", "--n", "40", "--dim", "32", "--hidden", "20", "--mlp-epochs", "2000", "--steps", "300",
		"--method", "swap", "--fraction", "0.25", "--seed", "2", "--json", "--quiet"}
	a, stderr := editJSONOf(t, append(args, "--split-seed", "1")...)
	b, _ := editJSONOf(t, append(args, "--split-seed", "2")...)
	if a["facts"].(float64) != 40 || a["hidden"].(float64) != 20 || a["altered"].(float64) != 10 {
		t.Fatalf("books run: %v", a)
	}
	if a["base_recall"] != b["base_recall"] {
		t.Fatalf("another split seed changed the base model: recall %v vs %v", a["base_recall"], b["base_recall"])
	}
	if stderr != "" {
		t.Fatalf("--quiet printed %q", stderr)
	}
}

func TestEditBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"edit", "--method", "finetune"},
		{"edit", "--fraction", "0"},
		{"edit", "--grid", "huge"},
		{"edit", "--relation", "planet", "--max-facts", "5"},
		{"edit", "--mlp-loss", "hinge"},
		{"edit", "--relations", "capital,planet", "--max-facts", "5"},
		{"edit", "--facts", "planets"},
		{"edit", "--facts", "books", "--n", "99999"},
		{"edit", "--adaptive-maps", "-2"},
		{"edit", "--adaptive-maps", "3", "--no-adaptive"},
		{"edit", "--mlp-method", "nope"},
		{"edit", "--method", "memit", "--mlp-method", "encdec"},
		{"edit", "--swap-hidden", "-3"},
	} {
		_, stderr, code := run(t, args...)
		if code == 0 || !strings.Contains(stderr, "factmlp edit") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// --mlp-method builds the swapped-in MLP with another registered method
// (here the successor's Hebbian MLP, wide enough to store 40 facts).
func TestEditSwapMLPMethod(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	raw, _ := editJSONOf(t, "--facts", "books", "--n", "40", "--dim", "32", "--hidden", "20", "--mlp-epochs", "2000", "--steps", "300",
		"--method", "swap", "--mlp-method", "hebbian-whitened", "--swap-hidden", "64", "--fraction", "0.25", "--seed", "2", "--json", "--quiet")
	if p := raw["params"].(string); p != "hebbian-whitened hidden=64" {
		t.Fatalf("params %q; want the Hebbian swap MLP named with its width", p)
	}
	if raw["hidden"].(float64) != 20 || raw["score"].(float64) <= 0 {
		t.Fatalf("hebbian swap: %v", raw)
	}
}
