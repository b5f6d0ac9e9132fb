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

// npyBytes builds a .npy file by hand the way NumPy lays it out.
func npyBytes(major byte, header string, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte("\x93NUMPY"))
	b.Write([]byte{major, 0})
	if major == 1 {
		binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint32(len(header)))
	}
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func f64bytes(xs ...float64) []byte {
	var b bytes.Buffer
	for _, x := range xs {
		binary.Write(&b, binary.LittleEndian, x)
	}
	return b.Bytes()
}

func TestReadNumPyLayout(t *testing.T) {
	// np.save of np.arange(6.).reshape(2, 3) with NumPy's legacy 16-byte
	// alignment (header 70 bytes + 10 = 80).
	h := "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
	h += strings.Repeat(" ", 80-10-len(h)-1) + "\n"
	a, err := ReadNPY(bytes.NewReader(npyBytes(1, h, f64bytes(0, 1, 2, 3, 4, 5))))
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Matrix()
	if err != nil {
		t.Fatal(err)
	}
	if m.At(1, 2) != 5 || m.At(0, 1) != 1 {
		t.Fatalf("wrong data %v", mat.Formatted(m))
	}
	// Fortran order: the same matrix stored column by column.
	hf := "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\n"
	a, err = ReadNPY(bytes.NewReader(npyBytes(2, hf, f64bytes(0, 3, 1, 4, 2, 5))))
	if err != nil {
		t.Fatal(err)
	}
	if mf, _ := a.Matrix(); !mat.Equal(m, mf) {
		t.Fatalf("Fortran-ordered read differs: %v", mat.Formatted(mf))
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m := mat.NewDense(3, 2, []float64{1.5, -2, 3.25, 1e-3, 0, 7})
	for _, dt := range []DType{Float32, Float64} {
		p := filepath.Join(dir, string(dt[1:])+".npy")
		if err := WriteMatrix(p, m, dt); err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(p)
		if hl := 10 + int(binary.LittleEndian.Uint16(raw[8:])); hl%64 != 0 {
			t.Fatalf("header not 64-byte aligned: %d", hl)
		}
		got, err := ReadMatrix(p)
		if err != nil {
			t.Fatal(err)
		}
		tol := 0.0
		if dt == Float32 {
			tol = 1e-7
		}
		if !mat.EqualApprox(m, got, tol) {
			t.Fatalf("%s round trip: %v", dt, mat.Formatted(got))
		}
	}
	idx := []int{3, 0, 2, 2, 1, 1 << 40}
	p := filepath.Join(dir, "map.npy")
	if err := WriteIndex(p, idx); err != nil {
		t.Fatal(err)
	}
	got, err := ReadIndex(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range idx {
		if got[i] != idx[i] {
			t.Fatalf("index round trip: %v", got)
		}
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
}

func TestReadErrors(t *testing.T) {
	h := func(descr, shape string) string {
		return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n"
	}
	good := npyBytes(1, h("<f8", "(2, 2)"), f64bytes(1, 2, 3, 4))
	nanData := f64bytes(1, math.NaN(), 3, 4)
	infData := f64bytes(1, 2, math.Inf(-1), 4)
	cases := []struct {
		name    string
		data    []byte
		matrix  bool // read as a matrix (else as an index)
		wantErr string
	}{
		{"empty", nil, true, "empty file"},
		{"short preamble", good[:5], true, "truncated: only 5 bytes"},
		{"bad magic", append([]byte("PK\x03\x04NUMP"), good[10:]...), true, "not a .npy file"},
		{"version 9", npyBytes(9, h("<f8", "(2, 2)"), nil), true, "unsupported .npy format version 9.0"},
		{"truncated header", good[:20], true, "truncated .npy header"},
		{"truncated data", good[:len(good)-3], true, "truncated: header promises <f8 (2, 2) = 32 bytes of data but the file has 29"},
		{"trailing bytes", append(append([]byte{}, good...), 0, 0, 0), true, "corrupt: 3 unexpected bytes after the 32 bytes"},
		{"garbage header", npyBytes(1, "{'descr': '<f8', 'shape': [2, 2]}\n", nil), true, "corrupt .npy header"},
		{"missing key", npyBytes(1, "{'descr': '<f8', 'shape': (2,), }\n", nil), true, "missing key \"fortran_order\""},
		{"unknown dtype", npyBytes(1, h("<i4", "(2,)"), make([]byte, 8)), false, "dtype \"<i4\" is not supported; accepted dtypes are float32"},
		{"object dtype", npyBytes(1, h("|O", "(2,)"), make([]byte, 16)), false, "dtype \"|O\" is not supported"},
		{"big endian", npyBytes(1, h(">f8", "(2,)"), make([]byte, 16)), true, "big-endian"},
		{"matrix rank 1", npyBytes(1, h("<f8", "(4,)"), f64bytes(1, 2, 3, 4)), true, "rank 1 (shape (4,)); an embedding table must have rank 2"},
		{"matrix rank 3", npyBytes(1, h("<f8", "(1, 2, 2)"), f64bytes(1, 2, 3, 4)), true, "rank 3 (shape (1, 2, 2))"},
		{"matrix int dtype", npyBytes(1, h("<i8", "(2, 2)"), make([]byte, 32)), true, "not a float type"},
		{"matrix empty", npyBytes(1, h("<f8", "(0, 4)"), nil), true, "at least one row"},
		{"NaN", npyBytes(1, h("<f8", "(2, 2)"), nanData), true, "row 0 column 1 is NaN; embeddings must be finite"},
		{"Inf", npyBytes(1, h("<f8", "(2, 2)"), infData), true, "row 1 column 0 is -Inf"},
		{"index float dtype", good, false, "not int64; a map must be an int64 array"},
		{"index rank 2", npyBytes(1, h("<i8", "(2, 1)"), make([]byte, 16)), false, "rank 2 (shape (2, 1)); a map must have rank 1"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".npy")
		if err := os.WriteFile(p, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		var err error
		if c.matrix {
			_, err = ReadMatrix(p)
		} else {
			_, err = ReadIndex(p)
		}
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: want error containing %q, got %v", c.name, c.wantErr, err)
			continue
		}
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error does not name the file: %v", c.name, err)
		}
	}
	if _, err := ReadMatrix(filepath.Join(dir, "missing.npy")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	m := mat.NewDense(1, 2, []float64{1, math.NaN()})
	p := filepath.Join(dir, "nan.npy")
	if err := WriteMatrix(p, m, Float64); err == nil || !strings.Contains(err.Error(), "non-finite") {
		t.Errorf("NaN write: %v", err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("a refused write left a file behind")
	}
	if err := WriteMatrix(p, mat.NewDense(1, 1, nil), Int64); err == nil || !strings.Contains(err.Error(), "use float32 or float64") {
		t.Errorf("int64 matrix write: %v", err)
	}
	if err := WriteIndex(filepath.Join(dir, "no", "such", "dir", "m.npy"), []int{1}); err == nil {
		t.Errorf("write into a missing directory succeeded")
	}
	if err := WriteNPY(&bytes.Buffer{}, &Array{DType: Float64, Shape: []int{3}, Floats: []float64{1}}); err == nil || !strings.Contains(err.Error(), "needs 3 float elements, got 1") {
		t.Errorf("short array: %v", err)
	}
	// An existing file is replaced only by a complete new one.
	q := filepath.Join(dir, "keep.npy")
	if err := WriteIndex(q, []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	_ = WriteMatrix(q, m, Float64) // refused: NaN
	if got, err := ReadIndex(q); err != nil || len(got) != 2 {
		t.Errorf("failed write damaged the existing file: %v %v", got, err)
	}
}
