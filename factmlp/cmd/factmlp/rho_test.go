package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestRhoJSON(t *testing.T) {
	dir := t.TempDir()
	out, stderr, code := run(t, "rho", "--family", "conditioned", "--kappa", "20", "--n", "64", "--dim", "8", "--seed", "3", "--json", "--save-factset", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	keys := sortedKeys(raw)
	if want := []string{"dim", "rho", "rho_per_value", "seconds", "undecodable", "values"}; !reflect.DeepEqual(keys, want) {
		t.Fatalf("JSON keys %v, want exactly %v", keys, want)
	}
	var got struct {
		Rho         float64
		PerValue    []float64 `json:"rho_per_value"`
		Undecodable []int
		N           int `json:"values"`
		Dim         int
	}
	json.Unmarshal([]byte(out), &got)
	if got.N != 64 || got.Dim != 8 || len(got.PerValue) != 64 || got.Undecodable == nil {
		t.Fatalf("bad JSON content: %s", out)
	}
	// The saved fact set gives the same ρ when read back, and the library
	// agrees with the CLI.
	out2, stderr, code := run(t, "rho", "--values", filepath.Join(dir, "values.npy"), "--keys", filepath.Join(dir, "keys.npy"), "--map", filepath.Join(dir, "map.npy"), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got2 struct{ Rho float64 }
	json.Unmarshal([]byte(out2), &got2)
	v, _ := tensorio.ReadMatrix(filepath.Join(dir, "values.npy"))
	res, _ := geometry.Decodability(v, geometry.Options{})
	if got2.Rho != got.Rho || res.Rho != got.Rho {
		t.Fatalf("ρ differs: generated %v, from files %v, library %v", got.Rho, got2.Rho, res.Rho)
	}
}

func TestRhoTextWhitenAndUndecodable(t *testing.T) {
	out, stderr, code := run(t, "rho", "--family", "conditioned", "--kappa", "30", "--n", "100", "--dim", "6", "--whiten", "1")
	if code != 0 || !strings.Contains(out, "whitening α=1") || !strings.Contains(out, "every value is decodable") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "v.npy")
	tensorio.WriteMatrix(p, mat.NewDense(3, 2, []float64{1, 0, -1, 0, 0, 0}), tensorio.Float32)
	out, _, code = run(t, "rho", "--values", p)
	if code != 0 || !strings.Contains(out, "undecodable values") || !strings.Contains(out, "value 2") {
		t.Fatalf("undecodable value not reported:\n%s", out)
	}
	out, _, _ = run(t, "rho", "--values", p, "--json")
	if !strings.Contains(out, `"undecodable":[2]`) {
		t.Fatalf("JSON: %s", out)
	}
}

func TestRhoErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.npy")
	os.WriteFile(bad, []byte("not numpy at all"), 0o644)
	vals := filepath.Join(dir, "v.npy")
	tensorio.WriteMatrix(vals, mat.NewDense(3, 2, []float64{1, 0, 0, 1, 1, 1}), tensorio.Float64)
	mp := filepath.Join(dir, "m.npy")
	tensorio.WriteIndex(mp, []int{0, 1, 7})
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"rho", "--family", "cubic"}, `unknown family "cubic"`},
		{[]string{"rho", "--values", bad}, "not a .npy file"},
		{[]string{"rho", "--values", vals, "--n", "5"}, "generator flags --n cannot be combined"},
		{[]string{"rho", "--values", dir}, "is a directory"},
		{[]string{"rho", "--workers", "-2"}, "--workers -2; accepted: an integer ≥ 0"},
		{[]string{"rho", "--values", vals, "--map", mp}, "entry 2 = 7 is out of range"},
		{[]string{"rho", "--keys", vals}, "--keys and --map need --values"},
		{[]string{"rho", "--n", "8", "--dim", "2", "--whiten", "2"}, "--whiten 2; accepted: in [0, 1]"},
		{[]string{"rho", "--n", "1"}, "at least 2"},
		{[]string{"rho", "--nosuchflag"}, "flag provided but not defined"},
		{[]string{"rho", "extra"}, "unexpected arguments"},
	}
	for _, c := range cases {
		out, stderr, code := run(t, c.args...)
		if code == 0 || !strings.Contains(stderr+out, c.want) {
			t.Errorf("%v: exit %d, want error containing %q; stderr: %s", c.args, code, c.want, stderr)
		}
		if code != 0 && !strings.HasPrefix(stderr, "factmlp rho: ") {
			t.Errorf("%v: error not prefixed: %q", c.args, stderr)
		}
	}
}
