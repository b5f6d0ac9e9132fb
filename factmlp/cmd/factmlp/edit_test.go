package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestEditJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	out, stderr, code := run(t, "edit", "--method", "memit", "--fraction", "0.2", "--max-facts", "30", "--dim", "32",
		"--hidden", "16", "--mlp-epochs", "2000", "--adaptive-maps", "2", "--steps", "400", "--grid", "small", "--seed", "3", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]float64
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	keys := sortedKeys(raw)
	if want := []string{"efficacy", "offtarget_ce_delta", "paraphrase", "score", "seconds", "specificity"}; !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for _, k := range []string{"efficacy", "paraphrase", "specificity", "score"} {
		if raw[k] < 0 || raw[k] > 1 {
			t.Fatalf("%s = %v out of [0, 1]", k, raw[k])
		}
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
	} {
		_, stderr, code := run(t, args...)
		if code == 0 || !strings.Contains(stderr, "factmlp edit") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
