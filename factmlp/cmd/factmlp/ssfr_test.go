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

func TestSSFRCapacityJSON(t *testing.T) {
	cache := t.TempDir()
	args := []string{"ssfr", "--capacity", "--facts", "32", "--dim", "16", "--steps", "40", "--batch", "64", "--eval", "64",
		"--task", "easy-4junk", "--threshold", "0.5", "--max-hidden", "256", "--cache", cache, "--json", "-q"}
	out, stderr, code := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Task             string `json:"task"`
		StandaloneHidden *int   `json:"standalone_hidden"`
		MinHidden        *int   `json:"min_hidden"`
		Trials           []struct {
			Hidden int  `json:"hidden"`
			Passed bool `json:"passed"`
		} `json:"trials"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r.Task != "easy-4junk" || r.StandaloneHidden == nil || len(r.Trials) == 0 {
		t.Fatalf("implausible result %s", out)
	}
	if r.MinHidden != nil && *r.MinHidden < *r.StandaloneHidden {
		t.Fatalf("the Transformer needs width %d, below the standalone minimum %d", *r.MinHidden, *r.StandaloneHidden)
	}
	// A rerun reads every trial from the cache and gives the same answer.
	out2, stderr, code := run(t, args...)
	if code != 0 {
		t.Fatalf("rerun: exit %d: %s", code, stderr)
	}
	var r2 map[string]any
	var r1 map[string]any
	_ = json.Unmarshal([]byte(out), &r1)
	_ = json.Unmarshal([]byte(out2), &r2)
	delete(r1, "seconds")
	delete(r2, "seconds")
	if !reflect.DeepEqual(r1, r2) {
		t.Fatalf("the cached rerun differs:\n%s\n%s", out, out2)
	}
}

func TestSSFRTaskFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ssfr", "--task", "hard"}, `"hard"`},
		{[]string{"ssfr", "--junk", "-1"}, "--junk -1"},
		{[]string{"ssfr", "--capacity", "--threshold", "1.5", "--facts", "16", "--dim", "8"}, "threshold 1.5"},
	} {
		_, stderr, code := run(t, c.args...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want an error naming %s", c.args, code, stderr, c.want)
		}
	}
}

// ssfr puts a Hebbian MLP (identity gate) in the Transformer's MLP slot.
func TestSSFRHebbian(t *testing.T) {
	out, stderr, code := run(t, "ssfr", "--method", "hebbian-whitened", "--facts", "32", "--dim", "16", "--steps", "20", "--eval", "128", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]float64
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if raw["steps"] < 1 || raw["steps"] > 20 || !(raw["lipschitz"] > 0) || raw["train_accuracy"] < 0 || raw["train_accuracy"] > 1 ||
		raw["fact_adaptive_accuracy"] < 0 || raw["fact_adaptive_accuracy"] > 1 {
		t.Fatalf("implausible result %v", raw)
	}
	_, stderr, code = run(t, "ssfr", "--method", "hebbian-whitened", "--facts", "32", "--dim", "16", "--whiten", "0.5")
	if code == 0 || !strings.Contains(stderr, "--whiten does not apply to --method hebbian-whitened") {
		t.Fatalf("whitening a Hebbian MLP: exit %d, %s", code, stderr)
	}
}
