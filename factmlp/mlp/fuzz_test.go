package mlp_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/mlp"
)

// FuzzParseFile: any bytes either fail with an error or give a checked MLP
// that saves and loads back bit for bit. The seed corpus
// (testdata/fuzz/FuzzParseFile) holds a valid 2×2 file, shapes that
// overflow, mismatched tensors and broken metadata.
func FuzzParseFile(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		g, _, err := mlp.ParseFile("fuzz.safetensors", b)
		if err != nil {
			return
		}
		if err := g.Check(); err != nil {
			t.Fatalf("ParseFile accepted an MLP that fails Check: %v", err)
		}
		p := filepath.Join(t.TempDir(), "back.safetensors")
		if err := mlp.SaveFile(p, g, nil, nil); err != nil {
			t.Fatalf("a parsed MLP does not save: %v", err)
		}
		back, _, err := mlp.LoadFile(p)
		if err != nil {
			t.Fatalf("a saved MLP does not load: %v", err)
		}
		for _, pair := range [][2][]float64{{g.Gate.RawMatrix().Data, back.Gate.RawMatrix().Data},
			{g.Up.RawMatrix().Data, back.Up.RawMatrix().Data}, {g.Down.RawMatrix().Data, back.Down.RawMatrix().Data},
			{g.GateBias, back.GateBias}, {g.UpBias, back.UpBias}, {g.DownBias, back.DownBias}} {
			if len(pair[0]) != len(pair[1]) {
				t.Fatalf("round trip changed a tensor's length %d → %d", len(pair[0]), len(pair[1]))
			}
			for i := range pair[0] {
				if math.Float64bits(pair[0][i]) != math.Float64bits(pair[1][i]) {
					t.Fatalf("round trip changed a weight %v → %v", pair[0][i], pair[1][i])
				}
			}
		}
	})
}

// ParseFile reads what SaveFile writes, and names the file in its errors.
func TestParseFileBytes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "g.safetensors")
	g := randomGated(3, 2, 1, true)
	if err := mlp.SaveFile(p, g, nil, nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if back, _, err := mlp.ParseFile("g", b); err != nil || back.Hidden() != 3 {
		t.Fatalf("ParseFile: %v", err)
	}
	if _, _, err := mlp.ParseFile("cut.safetensors", b[:len(b)-1]); err == nil || !strings.HasPrefix(err.Error(), "cut.safetensors: ") {
		t.Fatalf("truncated file: %v", err)
	}
}
