package tensorio

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func sampleST(t *testing.T) *Safetensors {
	t.Helper()
	a, err := MatrixTensor("a", mat.NewDense(2, 3, []float64{1, -2.5, math.Pi, 1e-300, 0, math.Copysign(0, -1)}), Float64)
	if err != nil {
		t.Fatal(err)
	}
	b, err := MatrixTensor("b", mat.NewDense(1, 2, []float64{0.1, 3}), Float32)
	if err != nil {
		t.Fatal(err)
	}
	v, err := VectorTensor("bias", []float64{1, 2}, Float64)
	if err != nil {
		t.Fatal(err)
	}
	idx := Tensor{Name: "map", Array: Array{DType: Int64, Shape: []int{3}, Ints: []int64{2, 0, -1}}}
	return &Safetensors{Tensors: []Tensor{a, b, v, idx}, Metadata: map[string]string{"method": "encdec", "seed": "3"}}
}

func encodeST(t *testing.T, s *Safetensors) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSafetensorsRoundTripBitExact(t *testing.T) {
	s := sampleST(t)
	path := filepath.Join(t.TempDir(), "x.safetensors")
	if err := WriteSafetensorsFile(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSafetensorsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Names(), ",") != "a,b,bias,map" {
		t.Fatalf("names %v", got.Names())
	}
	for _, want := range s.Tensors {
		g, ok := got.Get(want.Name)
		if !ok || g.DType != want.DType || len(g.Shape) != len(want.Shape) {
			t.Fatalf("tensor %q: got %+v", want.Name, g)
		}
		for i, x := range want.Floats {
			if math.Float64bits(x) != math.Float64bits(g.Floats[i]) {
				t.Fatalf("tensor %q[%d]: %v became %v", want.Name, i, x, g.Floats[i])
			}
		}
		for i, x := range want.Ints {
			if x != g.Ints[i] {
				t.Fatalf("tensor %q[%d]: %v became %v", want.Name, i, x, g.Ints[i])
			}
		}
	}
	if got.Metadata["method"] != "encdec" || got.Metadata["seed"] != "3" {
		t.Fatalf("metadata %v", got.Metadata)
	}
	// The header is padded to 8 bytes and the file holds exactly the data.
	b, _ := os.ReadFile(path)
	n := binary.LittleEndian.Uint64(b[:8])
	if n%8 != 0 || uint64(len(b)) != 8+n+6*8+2*4+2*8+3*8 {
		t.Fatalf("header %d bytes, file %d bytes", n, len(b))
	}
	m, err := got.MatrixOf("a")
	if err != nil || m.At(0, 2) != math.Pi {
		t.Fatalf("MatrixOf: %v %v", m, err)
	}
	if _, err := got.MatrixOf("nope"); err == nil || !strings.Contains(err.Error(), "have: a, b, bias, map") {
		t.Fatalf("missing tensor: %v", err)
	}
}

// withHeader builds a file from a raw header and data buffer.
func withHeader(h string, data []byte) []byte {
	var b bytes.Buffer
	var l [8]byte
	binary.LittleEndian.PutUint64(l[:], uint64(len(h)))
	b.Write(l[:])
	b.WriteString(h)
	b.Write(data)
	return b.Bytes()
}

func TestSafetensorsCorrupt(t *testing.T) {
	good := encodeST(t, sampleST(t))
	hugeLen := append([]byte{}, good...)
	binary.LittleEndian.PutUint64(hugeLen[:8], 1<<40)
	eight := make([]byte, 8)
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"short length", good[:5], "truncated"},
		{"header cut", good[:20], "truncated"},
		{"data cut", good[:len(good)-3], "truncated"},
		{"trailing bytes", append(append([]byte{}, good...), 1, 2, 3), "trailing"},
		{"huge header length", hugeLen, "exceeds"},
		{"not json", withHeader("{nope", nil), "not a JSON object"},
		{"bad dtype", withHeader(`{"x":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}`, eight[:2]), "accepted: F32, F64 or I64"},
		{"shape mismatch", withHeader(`{"x":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}`, eight), "data_offsets span 8 bytes"},
		{"negative dim", withHeader(`{"x":{"dtype":"F64","shape":[-1],"data_offsets":[0,8]}}`, eight), "negative"},
		{"bad offsets", withHeader(`{"x":{"dtype":"F64","shape":[1],"data_offsets":[8,0]}}`, eight), "invalid data_offsets"},
		{"one offset", withHeader(`{"x":{"dtype":"F64","shape":[1],"data_offsets":[0]}}`, eight), "[begin, end]"},
		{"unknown field", withHeader(`{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8],"foo":1}}`, eight), "malformed"},
		{"hole", withHeader(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, eight), "hole"},
		{"overlap", withHeader(`{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, eight), "overlaps"},
		{"bad metadata", withHeader(`{"__metadata__":{"a":1}}`, nil), "__metadata__"},
	}
	for _, c := range cases {
		_, err := ReadSafetensors(c.b)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

func TestSafetensorsWriteErrors(t *testing.T) {
	var buf bytes.Buffer
	a := Tensor{Name: "a", Array: Array{DType: Float64, Shape: []int{2}, Floats: []float64{1}}}
	if err := WriteSafetensors(&buf, &Safetensors{Tensors: []Tensor{a}}); err == nil {
		t.Error("wrong length accepted")
	}
	a.Floats = []float64{1, 2}
	if err := WriteSafetensors(&buf, &Safetensors{Tensors: []Tensor{a, a}}); err == nil {
		t.Error("duplicate name accepted")
	}
	if _, err := MatrixTensor("x", mat.NewDense(1, 1, nil), Int64); err == nil {
		t.Error("int64 matrix accepted")
	}
	// No file is left behind when the write fails.
	dir := t.TempDir()
	if err := WriteSafetensorsFile(filepath.Join(dir, "y.safetensors"), &Safetensors{Tensors: []Tensor{a, a}}); err == nil {
		t.Error("duplicate name accepted")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed write left %d files", len(ents))
	}
}

// testdata/reference_safetensors_0.8.safetensors was written by the
// reference implementation (Python safetensors.numpy.save_file) with tensors
// w (2×3 float32 = 0..5), b (float64 [1.5, 2.5]), i (int64 [3, −4]) and
// metadata {"k": "v"}.
func TestSafetensorsReadsReferenceFile(t *testing.T) {
	s, err := ReadSafetensorsFile(filepath.Join("testdata", "reference_safetensors_0.8.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := s.Get("w")
	b, _ := s.Get("b")
	i, _ := s.Get("i")
	if w == nil || b == nil || i == nil || w.DType != Float32 || b.DType != Float64 || i.DType != Int64 {
		t.Fatalf("tensors %v", s.Names())
	}
	if w.Shape[0] != 2 || w.Shape[1] != 3 || w.Floats[5] != 5 || b.Floats[1] != 2.5 || i.Ints[1] != -4 || s.Metadata["k"] != "v" {
		t.Fatalf("content: %v %v %v %v", w, b, i, s.Metadata)
	}
}
