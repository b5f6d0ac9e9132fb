package main

import (
	"encoding/json"
	"github.com/factmlp/factmlp/factmlp/method"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestConstructJSONAndVerify(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "m.safetensors")
	fsDir := filepath.Join(dir, "fs")
	for _, method := range []string{"encdec", "ntk", "encdec-gd"} {
		out, stderr, code := run(t, "construct", "--method", method, "--n", "96", "--dim", "32", "--seed", "4",
			"--json", "--out", file, "--save-factset", fsDir)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", method, code, stderr)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &raw); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		keys := sortedKeys(raw)
		want := []string{"accuracy", "code_dim", "dim", "facts", "hidden", "method", "min_margin", "params", "params_without_seeded", "rho", "seconds", "values"}
		if !reflect.DeepEqual(keys, want) {
			t.Fatalf("%s: JSON keys %v, want %v", method, keys, want)
		}
		var res constructJSON
		_ = json.Unmarshal([]byte(out), &res)
		// encdec and ntk regenerate gate and down from the seed; encdec-gd trains them.
		without := res.Hidden * 32
		if method == "encdec-gd" {
			without = res.Params
		}
		if res.Method != method || res.Accuracy != 1 || res.Facts != 96 || res.Dim != 32 || res.Params != 3*res.Hidden*32 || res.ParamsWithoutSeeded != without {
			t.Fatalf("%s: %+v", method, res)
		}
		if (method != "ntk") != (res.CodeDim != nil && *res.CodeDim > 0) || !strings.Contains(out, `"code_dim":`) {
			t.Fatalf("%s: code_dim %v (ntk has none: null, not 0): %s", method, res.CodeDim, out)
		}
		// The saved file verifies against the saved fact set.
		out, stderr, code = run(t, "verify", "--mlp", file, "--values", filepath.Join(fsDir, "values.npy"),
			"--keys", filepath.Join(fsDir, "keys.npy"), "--map", filepath.Join(fsDir, "map.npy"), "--json")
		if code != 0 || !strings.Contains(out, `"stores":true`) {
			t.Fatalf("%s verify: exit %d: %s %s", method, code, out, stderr)
		}
	}
	// A different fact set is refused by its fingerprint.
	_, stderr, code := run(t, "verify", "--mlp", file, "--n", "96", "--dim", "32", "--seed", "5")
	if code == 0 || !strings.Contains(stderr, "different fact set") {
		t.Fatalf("mismatched fact set: exit %d: %s", code, stderr)
	}
	// A truncated file is refused.
	b, _ := os.ReadFile(file)
	bad := filepath.Join(dir, "bad.safetensors")
	os.WriteFile(bad, b[:len(b)/2], 0o644)
	_, stderr, code = run(t, "verify", "--mlp", bad, "--n", "96", "--dim", "32", "--seed", "4")
	if code == 0 || !strings.Contains(stderr, "truncated") {
		t.Fatalf("truncated file: exit %d: %s", code, stderr)
	}
	// With an explicit hidden width too small for ntk, construct fails clearly.
	_, stderr, code = run(t, "construct", "--method", "ntk", "--hidden", "2", "--n", "96", "--dim", "32")
	if code == 0 || !strings.Contains(stderr, "does not store") {
		t.Fatalf("tiny ntk: exit %d: %s", code, stderr)
	}
}

func TestConstructErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"construct", "--method", "magic", "--n", "16", "--dim", "8"}, "accepted: " + strings.Join(method.Names(), ", ")},
		{[]string{"construct", "--n", "64", "--dim", "8", "--hidden", "3"}, "units·d ≥ |K|"},
		{[]string{"construct", "--method", "ntk", "--code-dim", "3", "--n", "16", "--dim", "8"}, "--code-dim does not apply to --method ntk; it applies to encdec, encdec-gd"},
		{[]string{"construct", "--method", "encdec", "--epochs", "5", "--n", "16", "--dim", "8"}, "--epochs does not apply to --method encdec"},
		{[]string{"construct", "--method", "gd", "--n", "16", "--dim", "8"}, "gd needs a hidden width"},
		{[]string{"construct", "--act", "tanh", "--n", "16", "--dim", "8"}, "unknown activation"},
		{[]string{"verify", "--n", "16"}, "--mlp"},
	} {
		_, stderr, code := run(t, c.args...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, code, stderr, c.want)
		}
	}
}

// construct builds each Hebbian variant, reports the successor's count
// (3md) and what the seed regenerates, and the saved file verifies.
func TestConstructHebbian(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "h.safetensors")
	fsDir := filepath.Join(dir, "fs")
	for _, m := range []string{"hebbian-unwhitened", "hebbian-whitened", "hebbian-data-dependent"} {
		out, stderr, code := run(t, "construct", "--method", m, "--n", "32", "--dim", "16", "--seed", "1", "--json", "--out", file, "--save-factset", fsDir)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", m, code, stderr)
		}
		var res constructJSON
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", m, err, out)
		}
		// Random features (gate, up) regenerate from the seed; fitted ones are stored.
		without := res.Hidden * 16
		if m == "hebbian-data-dependent" {
			without = res.Params
		}
		if res.Method != m || res.Accuracy != 1 || res.Hidden < 1 || res.Params != 3*res.Hidden*16 || res.ParamsWithoutSeeded != without || res.CodeDim != nil {
			t.Fatalf("%s: %+v; want exact storage, 3md params, no code dimension", m, res)
		}
		out, stderr, code = run(t, "verify", "--mlp", file, "--values", filepath.Join(fsDir, "values.npy"),
			"--keys", filepath.Join(fsDir, "keys.npy"), "--map", filepath.Join(fsDir, "map.npy"), "--json")
		if code != 0 || !strings.Contains(out, `"stores":true`) {
			t.Fatalf("%s verify: exit %d: %s %s", m, code, out, stderr)
		}
	}
}
