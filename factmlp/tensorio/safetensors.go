package tensorio

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
	"gonum.org/v1/gonum/mat"
)

// The safetensors format (huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON header mapping each tensor name to
// {"dtype", "shape", "data_offsets": [begin, end]} (offsets into the data
// buffer that follows) plus an optional "__metadata__" string→string map,
// then the data buffer, which the tensors must cover exactly without holes
// or overlaps. Data are little-endian, row-major.

// MaxSafetensorsHeader bounds the JSON header a reader accepts (100 MB, as
// the reference implementation).
const MaxSafetensorsHeader = 100 << 20

// safetensors dtype names ↔ DType.
var stDTypes = map[string]DType{"F32": Float32, "F64": Float64, "I64": Int64}

const acceptedSTDTypes = "F32, F64 or I64"

func stName(t DType) string {
	for k, v := range stDTypes {
		if v == t {
			return k
		}
	}
	return ""
}

// Tensor is one named tensor of a .safetensors file.
type Tensor struct {
	Name string
	Array
}

// Safetensors is the content of a .safetensors file.
type Safetensors struct {
	Tensors  []Tensor // in data-buffer order
	Metadata map[string]string
}

// Get returns the tensor called name.
func (s *Safetensors) Get(name string) (*Tensor, bool) {
	for i := range s.Tensors {
		if s.Tensors[i].Name == name {
			return &s.Tensors[i], true
		}
	}
	return nil, false
}

// Names lists the tensor names in file order.
func (s *Safetensors) Names() []string {
	out := make([]string, len(s.Tensors))
	for i, t := range s.Tensors {
		out[i] = t.Name
	}
	return out
}

// MatrixTensor makes a rank-2 tensor from m, stored as dtype (Float32 or
// Float64; float32 rounds).
func MatrixTensor(name string, m mat.Matrix, dtype DType) (Tensor, error) {
	if dtype != Float32 && dtype != Float64 {
		return Tensor{}, fmt.Errorf("tensorio: tensor %q: matrices are stored as F32 or F64, not %q", name, dtype)
	}
	r, c := m.Dims()
	data := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			x := m.At(i, j)
			if dtype == Float32 {
				x = float64(float32(x))
			}
			data = append(data, x)
		}
	}
	return Tensor{Name: name, Array: Array{DType: dtype, Shape: []int{r, c}, Floats: data}}, nil
}

// VectorTensor makes a rank-1 float tensor stored as dtype (Float32 or
// Float64).
func VectorTensor(name string, v []float64, dtype DType) (Tensor, error) {
	if dtype != Float32 && dtype != Float64 {
		return Tensor{}, fmt.Errorf("tensorio: tensor %q: vectors are stored as F32 or F64, not %q", name, dtype)
	}
	data := make([]float64, len(v))
	for i, x := range v {
		if dtype == Float32 {
			x = float64(float32(x))
		}
		data[i] = x
	}
	return Tensor{Name: name, Array: Array{DType: dtype, Shape: []int{len(v)}, Floats: data}}, nil
}

type stEntry struct {
	DType       string  `json:"dtype"`
	Shape       []int   `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// WriteSafetensors writes s to w. Tensor names must be unique, non-empty and
// not "__metadata__"; the header is padded with spaces to a multiple of 8.
func WriteSafetensors(w io.Writer, s *Safetensors) error {
	header := map[string]any{}
	if len(s.Metadata) > 0 {
		header["__metadata__"] = s.Metadata
	}
	var data bytes.Buffer
	seen := map[string]bool{}
	for _, t := range s.Tensors {
		if t.Name == "" || t.Name == "__metadata__" || seen[t.Name] {
			return fmt.Errorf("tensorio: tensor name %q is empty, reserved or repeated; names must be unique", t.Name)
		}
		seen[t.Name] = true
		name := stName(t.DType)
		if name == "" {
			return fmt.Errorf("tensorio: tensor %q has dtype %q; safetensors files are written as %s", t.Name, t.DType, acceptedSTDTypes)
		}
		n := 1
		for _, d := range t.Shape {
			if d < 0 {
				return fmt.Errorf("tensorio: tensor %q has a negative dimension in shape %v", t.Name, t.Shape)
			}
			n *= d
		}
		begin := int64(data.Len())
		switch t.DType {
		case Float32, Float64:
			if len(t.Floats) != n {
				return fmt.Errorf("tensorio: tensor %q has %d values for shape %v (%d)", t.Name, len(t.Floats), t.Shape, n)
			}
		case Int64:
			if len(t.Ints) != n {
				return fmt.Errorf("tensorio: tensor %q has %d values for shape %v (%d)", t.Name, len(t.Ints), t.Shape, n)
			}
		}
		writeElements(&data, &t.Array)
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		header[t.Name] = stEntry{DType: name, Shape: shape, DataOffsets: []int64{begin, int64(data.Len())}}
	}
	h, err := json.Marshal(header)
	if err != nil {
		return err
	}
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(h)))
	for _, b := range [][]byte{lenBuf[:], h, data.Bytes()} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// WriteSafetensorsFile atomically writes s to path.
func WriteSafetensorsFile(path string, s *Safetensors) error {
	return writeFile(path, func(w io.Writer) error { return WriteSafetensors(w, s) })
}

// ReadSafetensors parses a whole .safetensors file held in b. It checks the
// header length, the JSON, every dtype, shape and offset, that the tensors
// cover the data buffer exactly, and that the file is neither truncated nor
// longer than its header says.
func ReadSafetensors(b []byte) (*Safetensors, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("tensorio: safetensors file is truncated: %d bytes, fewer than the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b[:8])
	if n > MaxSafetensorsHeader {
		return nil, fmt.Errorf("tensorio: safetensors header length %d exceeds %d bytes; the file is corrupt or not safetensors", n, MaxSafetensorsHeader)
	}
	if uint64(len(b)-8) < n {
		return nil, fmt.Errorf("tensorio: safetensors file is truncated: header says %d header bytes, only %d follow", n, len(b)-8)
	}
	hdr := b[8 : 8+n]
	data := b[8+n:]
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &raw); err != nil {
		return nil, fmt.Errorf("tensorio: safetensors header is not a JSON object: %v", err)
	}
	s := &Safetensors{Metadata: map[string]string{}}
	type span struct {
		begin, end int64
		name       string
	}
	var spans []span
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &s.Metadata); err != nil {
				return nil, fmt.Errorf("tensorio: safetensors __metadata__ must map strings to strings: %v", err)
			}
			continue
		}
		var e stEntry
		dec := json.NewDecoder(bytes.NewReader(msg))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("tensorio: safetensors entry %q is malformed: %v", name, err)
		}
		dt, ok := stDTypes[e.DType]
		if !ok {
			return nil, fmt.Errorf("tensorio: tensor %q has dtype %q; accepted: %s", name, e.DType, acceptedSTDTypes)
		}
		if len(e.DataOffsets) != 2 {
			return nil, fmt.Errorf("tensorio: tensor %q has data_offsets %v; it needs [begin, end]", name, e.DataOffsets)
		}
		begin, end := e.DataOffsets[0], e.DataOffsets[1]
		if begin < 0 || end < begin {
			return nil, fmt.Errorf("tensorio: tensor %q has invalid data_offsets [%d, %d]", name, begin, end)
		}
		if end > int64(len(data)) {
			return nil, fmt.Errorf("tensorio: safetensors file is truncated: tensor %q needs data bytes [%d, %d) but the buffer has %d", name, begin, end, len(data))
		}
		size := dt.size()
		nbytes, err := dataBytes(e.Shape, size, end-begin)
		if err != nil {
			return nil, fmt.Errorf("tensorio: tensor %q: %v (its data_offsets span %d bytes)", name, err, end-begin)
		}
		if nbytes != end-begin {
			return nil, fmt.Errorf("tensorio: tensor %q has shape %v of %s (%d bytes) but data_offsets span %d bytes", name, e.Shape, e.DType, nbytes, end-begin)
		}
		count := int(nbytes / int64(size))
		t := Tensor{Name: name, Array: Array{DType: dt, Shape: append([]int{}, e.Shape...)}}
		readElements(&t.Array, data[begin:end], count)
		s.Tensors = append(s.Tensors, t)
		spans = append(spans, span{begin, end, name})
	}
	// The tensors must tile the data buffer: no holes, no overlaps, no tail.
	sort.Slice(spans, func(i, j int) bool {
		return spans[i].begin < spans[j].begin || (spans[i].begin == spans[j].begin && spans[i].end < spans[j].end)
	})
	pos := int64(0)
	for _, sp := range spans {
		if sp.begin != pos {
			if sp.begin < pos {
				return nil, fmt.Errorf("tensorio: tensor %q overlaps the previous tensor's data (offset %d < %d)", sp.name, sp.begin, pos)
			}
			return nil, fmt.Errorf("tensorio: safetensors data has a hole before tensor %q (bytes [%d, %d) unused)", sp.name, pos, sp.begin)
		}
		pos = sp.end
	}
	if pos != int64(len(data)) {
		return nil, fmt.Errorf("tensorio: safetensors file has %d trailing bytes after the last tensor; it is corrupt", int64(len(data))-pos)
	}
	order := map[string]int{}
	for i, sp := range spans {
		order[sp.name] = i
	}
	sort.Slice(s.Tensors, func(i, j int) bool { return order[s.Tensors[i].Name] < order[s.Tensors[j].Name] })
	return s, nil
}

// ReadSafetensorsFile reads and validates a .safetensors file; errors name
// the file.
func ReadSafetensorsFile(path string) (*Safetensors, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, not a .safetensors file", path, atomicfile.Kind(st.Mode()))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := ReadSafetensors(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// MatrixOf returns the rank-2 float tensor called name as a matrix, with an
// error naming what is missing or wrong.
func (s *Safetensors) MatrixOf(name string) (*mat.Dense, error) {
	t, ok := s.Get(name)
	if !ok {
		return nil, fmt.Errorf("tensorio: no tensor %q (have: %s)", name, strings.Join(s.Names(), ", "))
	}
	m, err := t.Matrix()
	if err != nil {
		return nil, fmt.Errorf("tensorio: tensor %q: %w", name, err)
	}
	return m, nil
}
