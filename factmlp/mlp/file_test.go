package mlp_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

func randomGated(h, d int, seed uint64, biases bool) *mlp.Gated {
	r := rng.New(seed)
	m := func(a, b int) *mat.Dense {
		data := make([]float64, a*b)
		for i := range data {
			data[i] = r.NormFloat64() * math.Exp(r.NormFloat64()*5) // wide exponents
		}
		return mat.NewDense(a, b, data)
	}
	g := &mlp.Gated{Gate: m(h, d), Up: m(h, d), Down: m(d, h), Act: mlp.SiLU, Method: "encdec",
		Seed: 1<<63 + 5, Seeded: []string{"gate", "down"}, CodeDim: 3}
	if biases {
		g.GateBias = m(1, h).RawRowView(0)
		g.UpBias = m(1, h).RawRowView(0)
		g.DownBias = m(1, d).RawRowView(0)
	}
	return g
}

func bitsEqual(t *testing.T, name string, a, b []float64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: length %d became %d", name, len(a), len(b))
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("%s[%d]: %v became %v", name, i, a[i], b[i])
		}
	}
}

func TestFileRoundTripBitExact(t *testing.T) {
	fs := factset.NewTied(factset.Spherical(10, 6, rng.New(1)), rng.New(2))
	for _, biases := range []bool{false, true} {
		g := randomGated(7, 6, 3, biases)
		path := filepath.Join(t.TempDir(), "m.safetensors")
		if err := mlp.SaveFile(path, g, fs, map[string]string{"note": "x"}); err != nil {
			t.Fatal(err)
		}
		got, meta, err := mlp.LoadFileFor(path, fs)
		if err != nil {
			t.Fatal(err)
		}
		bitsEqual(t, "gate", g.Gate.RawMatrix().Data, got.Gate.RawMatrix().Data)
		bitsEqual(t, "up", g.Up.RawMatrix().Data, got.Up.RawMatrix().Data)
		bitsEqual(t, "down", g.Down.RawMatrix().Data, got.Down.RawMatrix().Data)
		bitsEqual(t, "gate_bias", g.GateBias, got.GateBias)
		bitsEqual(t, "up_bias", g.UpBias, got.UpBias)
		bitsEqual(t, "down_bias", g.DownBias, got.DownBias)
		if got.Act != g.Act || got.Method != g.Method || got.Seed != g.Seed || got.CodeDim != 3 ||
			strings.Join(got.Seeded, ",") != "gate,down" || got.Params() != g.Params() || got.ParamsWithoutSeeded() != g.ParamsWithoutSeeded() {
			t.Fatalf("fields changed: %+v", got)
		}
		if meta.Fingerprint != fs.Fingerprint() || meta.Facts != 10 || meta.Values != 10 || meta.All["note"] != "x" {
			t.Fatalf("meta %+v", meta)
		}
	}
}

// writeRaw writes a safetensors file with the given tensors and metadata.
func writeRaw(t *testing.T, path string, meta map[string]string, mats map[string]*mat.Dense) {
	t.Helper()
	var ts []tensorio.Tensor
	for _, name := range []string{"gate", "up", "down", "extra"} {
		m, ok := mats[name]
		if !ok {
			continue
		}
		x, err := tensorio.MatrixTensor(name, m, tensorio.Float64)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, x)
	}
	if err := tensorio.WriteSafetensorsFile(path, &tensorio.Safetensors{Tensors: ts, Metadata: meta}); err != nil {
		t.Fatal(err)
	}
}

func TestFileLoadErrors(t *testing.T) {
	dir := t.TempDir()
	fs := factset.NewTied(factset.Spherical(10, 6, rng.New(1)), rng.New(2))
	good := filepath.Join(dir, "good.safetensors")
	g := randomGated(7, 6, 3, false)
	if err := mlp.SaveFile(good, g, fs, nil); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	file := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	meta := func(kv ...string) map[string]string {
		m := map[string]string{"format": mlp.FileFormat, "activation": "relu"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	shaped := func(name string, md map[string]string, gate, up, down *mat.Dense) string {
		p := filepath.Join(dir, name)
		mats := map[string]*mat.Dense{}
		for k, v := range map[string]*mat.Dense{"gate": gate, "up": up, "down": down} {
			if v != nil {
				mats[k] = v
			}
		}
		writeRaw(t, p, md, mats)
		return p
	}
	hd, dh := mat.NewDense(4, 3, nil), mat.NewDense(3, 4, nil)
	nan := mat.NewDense(4, 3, nil)
	nan.Set(1, 2, math.NaN())
	corrupt := append([]byte{}, raw...)
	for i := 8; i < 40; i++ {
		corrupt[i] = 0xff
	}
	cases := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "none.safetensors"), "no such file"},
		{"garbage", file("garbage", []byte("this is not a safetensors file at all")), "exceeds"},
		{"corrupt header", file("corrupt", corrupt), "not a JSON object"},
		{"truncated", file("trunc", raw[:len(raw)-10]), "truncated"},
		{"no format", shaped("nofmt", map[string]string{"activation": "relu"}, hd, hd, dh), "format"},
		{"missing down", shaped("nodown", meta(), hd, hd, nil), `no tensor "down"`},
		{"up wrong shape", shaped("upshape", meta(), hd, mat.NewDense(4, 2, nil), dh), "up is 4×2"},
		{"down wrong shape", shaped("downshape", meta(), hd, hd, hd), "down is 4×3"},
		{"bad activation", shaped("act", meta("activation", "tanh"), hd, hd, dh), "unknown activation"},
		{"dims mismatch", shaped("dims", meta("hidden", "5"), hd, hd, dh), "hidden = 5"},
		{"nan weight", shaped("nan", meta(), hd, nan, dh), "finite"},
		{"bad seeded", shaped("seeded", meta("seeded", "gate,foo"), hd, hd, dh), "seeded"},
	}
	for _, c := range cases {
		_, _, err := mlp.LoadFile(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
	// An extra tensor is refused.
	p := filepath.Join(dir, "extra.safetensors")
	writeRaw(t, p, meta(), map[string]*mat.Dense{"gate": hd, "up": hd, "down": dh, "extra": hd})
	if _, _, err := mlp.LoadFile(p); err == nil || !strings.Contains(err.Error(), `unexpected tensor "extra"`) {
		t.Errorf("extra tensor: %v", err)
	}
	// The wrong fact set is refused, naming both fingerprints.
	other := factset.NewTied(factset.Spherical(10, 6, rng.New(9)), rng.New(2))
	if _, _, err := mlp.LoadFileFor(good, other); err == nil || !strings.Contains(err.Error(), other.Fingerprint()) || !strings.Contains(err.Error(), fs.Fingerprint()) {
		t.Errorf("mismatched fact set: %v", err)
	}
	wrongDim := factset.NewTied(factset.Spherical(10, 5, rng.New(1)), rng.New(2))
	if _, _, err := mlp.LoadFileFor(good, wrongDim); err == nil || !strings.Contains(err.Error(), "dimension") {
		t.Errorf("wrong dimension: %v", err)
	}
	// Saving refuses to override standard metadata.
	if err := mlp.SaveFile(filepath.Join(dir, "x.safetensors"), g, fs, map[string]string{"seed": "1"}); err == nil {
		t.Error("override of seed metadata accepted")
	}
}

// Save a fact MLP with the fact set it stores, then load it back for that
// fact set (a different fact set would be refused).
func ExampleSaveFile() {
	fs := factset.NewTied(factset.Spherical(4, 3, rng.New(1)), rng.New(2))
	g := randomGated(5, 3, 1, false)
	dir, _ := os.MkdirTemp("", "fact-mlp")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "mlp.safetensors")
	if err := mlp.SaveFile(path, g, fs, nil); err != nil {
		fmt.Println(err)
		return
	}
	back, meta, err := mlp.LoadFileFor(path, fs)
	fmt.Println(err, back.Hidden(), back.Dim(), meta.Facts, mat.Equal(back.Up, g.Up))
	// Output: <nil> 5 3 4 true
}
