package tensorio

import (
	"bytes"
	"math"
	"testing"
)

// The seed corpus of both targets is in testdata/fuzz; it holds the crafted
// files of issue #13 (shapes that overflow, headers that promise more data
// than the file holds, zero-size tensors).

// FuzzReadNPY: any bytes either fail with an error or parse to an array
// that writes back and reads again unchanged. Parsing never allocates for
// more elements than the input has bytes.
func FuzzReadNPY(f *testing.F) {
	f.Add(npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }\n", f64bytes(1, 2)))
	f.Add(npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }\n", nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ReadNPY(bytes.NewReader(b))
		if err != nil {
			return
		}
		if a.Len() > len(b) {
			t.Fatalf("%d elements from %d bytes", a.Len(), len(b))
		}
		var out bytes.Buffer
		if err := WriteNPY(&out, a); err != nil {
			t.Fatalf("a parsed array does not write back: %v", err)
		}
		back, err := ReadNPY(&out)
		if err != nil {
			t.Fatalf("written array does not read back: %v", err)
		}
		if !sameArray(a, back) {
			t.Fatalf("round trip changed %v into %v", a, back)
		}
	})
}

// FuzzReadSafetensors: any bytes either fail with an error or parse to
// tensors that write back and read again unchanged.
func FuzzReadSafetensors(f *testing.F) {
	f.Add(withHeader(`{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}`, make([]byte, 8)))
	f.Add(withHeader(`{"x":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,0]}}`, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ReadSafetensors(b)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteSafetensors(&out, s); err != nil {
			t.Fatalf("parsed tensors do not write back: %v", err)
		}
		back, err := ReadSafetensors(out.Bytes())
		if err != nil {
			t.Fatalf("written tensors do not read back: %v", err)
		}
		if len(back.Tensors) != len(s.Tensors) || len(back.Metadata) != len(s.Metadata) {
			t.Fatalf("round trip changed %d tensors/%d metadata into %d/%d", len(s.Tensors), len(s.Metadata), len(back.Tensors), len(back.Metadata))
		}
		for i := range s.Tensors {
			if s.Tensors[i].Name != back.Tensors[i].Name || !sameArray(&s.Tensors[i].Array, &back.Tensors[i].Array) {
				t.Fatalf("round trip changed tensor %q", s.Tensors[i].Name)
			}
		}
		for k, v := range s.Metadata {
			if back.Metadata[k] != v {
				t.Fatalf("round trip changed metadata %q", k)
			}
		}
	})
}

// sameArray compares dtype, shape and data bit for bit (NaN payloads of
// float64 included; float32 NaNs are compared as NaN).
func sameArray(a, b *Array) bool {
	if a.DType != b.DType || !sameShape(a.Shape, b.Shape) || len(a.Floats) != len(b.Floats) || len(a.Ints) != len(b.Ints) {
		return false
	}
	for i, x := range a.Floats {
		y := b.Floats[i]
		if math.Float64bits(x) != math.Float64bits(y) && !(math.IsNaN(x) && math.IsNaN(y)) {
			return false
		}
	}
	for i, x := range a.Ints {
		if x != b.Ints[i] {
			return false
		}
	}
	return true
}
