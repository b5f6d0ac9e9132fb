package tensorio

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// Headers that promise far more data than the file holds must be refused
// before anything of that size is allocated.
func TestHostileHeaders(t *testing.T) {
	eight := make([]byte, 8)
	stCases := []struct {
		name, header string
		data         []byte
		want         string
	}{
		{"shape 2^62", `{"x":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,0]}}`, nil, "needs more than"},
		{"count×size overflows", `{"x":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}`, eight, "needs more than"},
		{"product overflows", `{"x":{"dtype":"F32","shape":[4294967296,4294967296,2],"data_offsets":[0,8]}}`, eight, "needs more than"},
		{"zero after huge", `{"x":{"dtype":"F32","shape":[4611686018427387904,0],"data_offsets":[0,8]}}`, eight, "data_offsets span 8 bytes"},
	}
	for _, c := range stCases {
		_, err := ReadSafetensors(withHeader(c.header, c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("safetensors %s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
	npyCases := []struct {
		name, header string
		want         string
	}{
		{"1e5×1e5 f8 in 128 bytes", "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", "= 80000000000 bytes of data but the file has 0"},
		{"product overflows", "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }", "more than 2^63 bytes"},
	}
	for _, c := range npyCases {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ReadNPY(bytes.NewReader(npyBytes(1, c.header+"\n", nil)))
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("npy %s: got %v, want an error containing %q", c.name, err, c.want)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Errorf("npy %s: allocated %d bytes for a file of under 200 bytes", c.name, grew)
		}
	}
}

// Zero-size tensors round-trip through both formats.
func TestZeroSizeRoundTrip(t *testing.T) {
	for _, shape := range [][]int{{2, 0}, {0}, {0, 3}, {0, 0}} {
		for _, dt := range []DType{Float32, Float64, Int64} {
			a := Array{DType: dt, Shape: shape}
			var npy bytes.Buffer
			if err := WriteNPY(&npy, &a); err != nil {
				t.Fatalf("npy %v %s: write: %v", shape, dt, err)
			}
			b, err := ReadNPY(&npy)
			if err != nil || b.Len() != 0 || !sameShape(b.Shape, shape) {
				t.Errorf("npy %v %s: read %v, %v", shape, dt, b, err)
			}
			var st bytes.Buffer
			if err := WriteSafetensors(&st, &Safetensors{Tensors: []Tensor{{Name: "z", Array: a}}}); err != nil {
				t.Fatalf("safetensors %v %s: write: %v", shape, dt, err)
			}
			s, err := ReadSafetensors(st.Bytes())
			if err != nil {
				t.Errorf("safetensors %v %s: read: %v", shape, dt, err)
				continue
			}
			if z, ok := s.Get("z"); !ok || z.Len() != 0 || !sameShape(z.Shape, shape) || z.DType != dt {
				t.Errorf("safetensors %v %s: read back %v", shape, dt, z)
			}
		}
	}
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Something other than a regular file given as input is named as such, and
// a FIFO does not block the reader.
func TestReadNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.npy")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{{dir, "is a directory"}, {fifo, "is a named pipe"}} {
		if _, err := ReadNPYFile(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadNPYFile(%s): got %v, want %q", c.path, err, c.want)
		}
		if _, err := ReadSafetensorsFile(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadSafetensorsFile(%s): got %v, want %q", c.path, err, c.want)
		}
	}
	if _, err := ReadNPYFile(filepath.Join(dir, "missing.npy")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}
