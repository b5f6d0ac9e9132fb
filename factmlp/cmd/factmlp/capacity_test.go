package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCapacityJSON(t *testing.T) {
	cache := t.TempDir()
	args := []string{"capacity", "--method", "encdec", "--facts", "48", "--dim", "16", "--family", "spherical", "--seed", "2", "--cache", cache, "--json"}
	out, stderr, code := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	keys := sortedKeys(raw)
	if want := []string{"dim", "facts", "method", "min_hidden", "min_params", "rho", "seconds", "stored", "trials"}; !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys %v, want exactly %v", keys, want)
	}
	var r struct {
		Method    string
		Facts     int
		Dim       int
		MinHidden int `json:"min_hidden"`
		MinParams int `json:"min_params"`
		Rho       float64
		Trials    []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Method != "encdec" || r.Facts != 48 || r.Dim != 16 || r.MinHidden < 1 || r.MinParams != 3*16*r.MinHidden || !(r.Rho > 0) || len(r.Trials) == 0 {
		t.Fatalf("unexpected result %+v", r)
	}
	// The second run is answered from the cache.
	out2, _, code := run(t, args...)
	if code != 0 || out2 != out {
		t.Fatalf("cached rerun differs (exit %d):\n%s\nvs\n%s", code, out2, out)
	}
}

func TestCapacityBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"capacity", "--method", "sgd", "--facts", "16", "--dim", "8"},
		{"capacity", "--facts", "16", "--dim", "8", "--rel-tol", "NaN"},
		{"capacity", "--facts", "16", "--dim", "8", "--max-hidden", "-1"},
		{"capacity", "--family", "cubic", "--facts", "16", "--dim", "8"},
		{"capacity", "--values", "x.npy"},
		{"capacity", "--act", "tanh", "--facts", "16", "--dim", "8"},
		{"capacity", "extra"},
	} {
		_, stderr, code := run(t, args...)
		if code == 0 || !strings.HasPrefix(stderr, "factmlp capacity: ") {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestSweepWritesCSVAndJSON(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfg.json")
	if err := os.WriteFile(cfg, []byte(`{"methods": ["encdec", "ntk"], "facts": [16, 24], "dims": [16], "max": 4096}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	stdout, stderr, code := run(t, "sweep", "--config", cfg, "--out", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	csv, err := os.ReadFile(filepath.Join(out, "points.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "method,family,") {
		t.Fatalf("points.csv:\n%s", csv)
	}
	var recs []map[string]any
	data, err := os.ReadFile(filepath.Join(out, "points.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &recs); err != nil || len(recs) != 4 {
		t.Fatalf("points.json: %v, %d records", err, len(recs))
	}
	per, _ := filepath.Glob(filepath.Join(out, "points", "*.json"))
	if len(per) != 4 {
		t.Fatalf("%d per-point files, want 4", len(per))
	}
	if !strings.Contains(stdout, "facts vs params") {
		t.Fatalf("no fit summary in output:\n%s", stdout)
	}
	if _, _, code := run(t, "sweep", "--config", filepath.Join(dir, "missing.json"), "--out", out); code == 0 {
		t.Fatal("a missing config must fail")
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"methods": ["gd"], "facts": [16], "dims": [8], "epochs": 3}`), 0o644)
	if _, stderr, code := run(t, "sweep", "--config", bad, "--out", out); code == 0 || !strings.Contains(stderr, "unknown field") {
		t.Fatalf("an unknown config field must fail clearly: %q", stderr)
	}
}

// capacity searches the smallest feature width of a Hebbian variant; the
// answer stores and one width less does not (exact search at this size).
func TestCapacityHebbian(t *testing.T) {
	for _, m := range []string{"hebbian-whitened", "hebbian-data-dependent"} {
		out, stderr, code := run(t, "capacity", "--method", m, "--facts", "24", "--dim", "12", "--seed", "2", "--json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", m, code, stderr)
		}
		var r struct {
			Method    string
			Stored    bool
			MinHidden int `json:"min_hidden"`
			MinParams int `json:"min_params"`
			Trials    []struct {
				Hidden int
				Stored bool
			}
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", m, err, out)
		}
		if r.Method != m || !r.Stored || r.MinHidden < 1 || r.MinParams != 3*12*r.MinHidden {
			t.Fatalf("%s: %+v", m, r)
		}
		below := false
		for _, tr := range r.Trials {
			if tr.Hidden == r.MinHidden-1 && !tr.Stored {
				below = true
			}
		}
		if !below {
			t.Errorf("%s: no failing trial at width %d, one below the minimum: %+v", m, r.MinHidden-1, r.Trials)
		}
	}
}
