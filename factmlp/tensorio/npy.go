package tensorio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
	"gonum.org/v1/gonum/mat"
)

// DType is a NumPy array-protocol type string. Only the little-endian types
// below are read and written.
type DType string

// Supported dtypes.
const (
	Float32 DType = "<f4"
	Float64 DType = "<f8"
	Int64   DType = "<i8"
)

func (t DType) size() int {
	switch t {
	case Float32:
		return 4
	case Float64, Int64:
		return 8
	}
	return 0
}

const acceptedDTypes = "float32 ('<f4'), float64 ('<f8') or int64 ('<i8')"

// Array is an n-dimensional array read from or written to a .npy file, in
// row-major (C) order. Floats holds the data of float dtypes (float32 values
// are widened exactly), Ints that of int64.
type Array struct {
	DType  DType
	Shape  []int
	Floats []float64
	Ints   []int64
}

// Len is the number of elements (the product of Shape).
func (a *Array) Len() int {
	n := 1
	for _, s := range a.Shape {
		n *= s
	}
	return n
}

func shapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, s := range shape {
		parts[i] = strconv.Itoa(s)
	}
	if len(shape) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

var npyMagic = []byte("\x93NUMPY")

// maxNPYData bounds the data of one .npy array a reader accepts (16 GiB).
const maxNPYData = 16 << 30

// ReadNPY reads one .npy array from r. It accepts format versions 1.0, 2.0
// and 3.0 and the dtypes float32, float64 and int64 (little-endian), in C or
// Fortran order (Fortran-ordered data is returned in C order). The data must
// have exactly the size the header promises.
func ReadNPY(r io.Reader) (*Array, error) {
	br := bufio.NewReader(r)
	pre := make([]byte, 8)
	if n, err := io.ReadFull(br, pre); err != nil {
		if n == 0 {
			return nil, errors.New("empty file; expected a NumPy .npy array")
		}
		return nil, fmt.Errorf("truncated: only %d bytes, shorter than the .npy preamble", n)
	}
	if !bytes.Equal(pre[:6], npyMagic) {
		return nil, fmt.Errorf("not a .npy file: magic bytes are %q, want \"\\x93NUMPY\"", pre[:6])
	}
	major := pre[6]
	var hlen int
	switch major {
	case 1:
		b := make([]byte, 2)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, errors.New("truncated .npy header length")
		}
		hlen = int(binary.LittleEndian.Uint16(b))
	case 2, 3:
		b := make([]byte, 4)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, errors.New("truncated .npy header length")
		}
		hlen = int(binary.LittleEndian.Uint32(b))
		if hlen > 1<<24 {
			return nil, fmt.Errorf("corrupt .npy header: header length %d is implausible", hlen)
		}
	default:
		return nil, fmt.Errorf("unsupported .npy format version %d.%d; versions 1.0, 2.0 and 3.0 are accepted", major, pre[7])
	}
	header, err := io.ReadAll(io.LimitReader(br, int64(hlen))) // grows with what is there, not with hlen
	if err != nil || len(header) < hlen {
		return nil, fmt.Errorf("truncated .npy header: %d of %d bytes", len(header), hlen)
	}
	descr, fortran, shape, err := parseHeader(string(header))
	if err != nil {
		return nil, fmt.Errorf("corrupt .npy header %q: %v", strings.TrimSpace(string(header)), err)
	}
	dt := DType(descr)
	if strings.HasPrefix(descr, ">") {
		return nil, fmt.Errorf("dtype %q is big-endian; only little-endian %s are accepted", descr, acceptedDTypes)
	}
	if dt.size() == 0 {
		return nil, fmt.Errorf("dtype %q is not supported; accepted dtypes are %s", descr, acceptedDTypes)
	}
	// Read what is there, at most one byte more than the header promises,
	// before allocating for the header's shape: a short file whose header
	// claims a huge array must not make us allocate the claim.
	data, err := io.ReadAll(io.LimitReader(br, maxNPYData+1))
	if err != nil {
		return nil, fmt.Errorf("reading the data: %v", err)
	}
	nbytes, err := dataBytes(shape, dt.size(), int64(len(data)))
	if err != nil {
		promised := "more than 2^63"
		if n, err := dataBytes(shape, dt.size(), math.MaxInt64); err == nil {
			promised = strconv.FormatInt(n, 10)
		}
		return nil, fmt.Errorf("truncated: header promises %s %s = %s bytes of data but the file has %d", descr, shapeString(shape), promised, len(data))
	}
	if extra := int64(len(data)) - nbytes; extra > 0 {
		if int64(len(data)) > maxNPYData {
			return nil, fmt.Errorf("the data exceed %d bytes, the most a .npy array may hold here", int64(maxNPYData))
		}
		return nil, fmt.Errorf("corrupt: %d unexpected bytes after the %d bytes of data that shape %s promises", extra, nbytes, shapeString(shape))
	}
	count := int(nbytes / int64(dt.size()))
	a := &Array{DType: dt, Shape: shape}
	readElements(a, data, count)
	if fortran && len(shape) > 1 {
		if len(shape) != 2 {
			return nil, fmt.Errorf("Fortran-ordered arrays of rank %d are not supported; save a C-ordered array (np.ascontiguousarray)", len(shape))
		}
		a.transposeFortran()
	}
	return a, nil
}

// transposeFortran turns column-major data of a rank-2 array into row-major.
func (a *Array) transposeFortran() {
	r, c := a.Shape[0], a.Shape[1]
	if a.Floats != nil {
		out := make([]float64, len(a.Floats))
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				out[i*c+j] = a.Floats[j*r+i]
			}
		}
		a.Floats = out
	}
	if a.Ints != nil {
		out := make([]int64, len(a.Ints))
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				out[i*c+j] = a.Ints[j*r+i]
			}
		}
		a.Ints = out
	}
}

// parseHeader parses the Python dict literal of a .npy header, e.g.
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }.
func parseHeader(h string) (descr string, fortran bool, shape []int, err error) {
	p := &hparser{s: strings.TrimRight(h, " \n\x00")}
	p.ws()
	if !p.eat('{') {
		return "", false, nil, errors.New("expected '{'")
	}
	seen := map[string]bool{}
	for {
		p.ws()
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return "", false, nil, err
		}
		p.ws()
		if !p.eat(':') {
			return "", false, nil, fmt.Errorf("expected ':' after %q", key)
		}
		p.ws()
		switch key {
		case "descr":
			descr, err = p.str()
		case "fortran_order":
			fortran, err = p.boolean()
		case "shape":
			shape, err = p.tuple()
		default:
			return "", false, nil, fmt.Errorf("unexpected key %q", key)
		}
		if err != nil {
			return "", false, nil, fmt.Errorf("%s: %v", key, err)
		}
		seen[key] = true
		p.ws()
		if !p.eat(',') {
			p.ws()
			if !p.eat('}') {
				return "", false, nil, errors.New("expected ',' or '}'")
			}
			break
		}
	}
	p.ws()
	if p.i != len(p.s) {
		return "", false, nil, fmt.Errorf("unexpected text after the dict: %q", p.s[p.i:])
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return "", false, nil, fmt.Errorf("missing key %q", k)
		}
	}
	return descr, fortran, shape, nil
}

type hparser struct {
	s string
	i int
}

func (p *hparser) ws() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *hparser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *hparser) str() (string, error) {
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", errors.New("expected a quoted string")
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", errors.New("unterminated string")
	}
	out := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return out, nil
}

func (p *hparser) boolean() (bool, error) {
	switch {
	case strings.HasPrefix(p.s[p.i:], "True"):
		p.i += 4
		return true, nil
	case strings.HasPrefix(p.s[p.i:], "False"):
		p.i += 5
		return false, nil
	}
	return false, errors.New("expected True or False")
}

func (p *hparser) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, errors.New("expected '('")
	}
	shape := []int{}
	for {
		p.ws()
		if p.eat(')') {
			return shape, nil
		}
		start := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if start == p.i {
			return nil, errors.New("expected a non-negative integer dimension")
		}
		v, err := strconv.Atoi(p.s[start:p.i])
		if err != nil || v > math.MaxInt32 {
			return nil, fmt.Errorf("dimension %q is out of range", p.s[start:p.i])
		}
		shape = append(shape, v)
		p.ws()
		if !p.eat(',') {
			p.ws()
			if !p.eat(')') {
				return nil, errors.New("expected ',' or ')'")
			}
			return shape, nil
		}
	}
}

// WriteNPY writes a as a version 1.0 .npy array (C order, header padded to a
// multiple of 64 bytes as NumPy does).
func WriteNPY(w io.Writer, a *Array) error {
	if a.DType.size() == 0 {
		return fmt.Errorf("dtype %q is not supported; accepted dtypes are %s", a.DType, acceptedDTypes)
	}
	n := a.Len()
	switch {
	case a.DType == Int64 && len(a.Ints) != n:
		return fmt.Errorf("shape %s needs %d int64 elements, got %d", shapeString(a.Shape), n, len(a.Ints))
	case a.DType != Int64 && len(a.Floats) != n:
		return fmt.Errorf("shape %s needs %d float elements, got %d", shapeString(a.Shape), n, len(a.Floats))
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", a.DType, shapeString(a.Shape))
	if len(a.Shape) == 0 {
		header = fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (), }", a.DType)
	}
	total := 10 + len(header) + 1
	pad := (64 - total%64) % 64
	header += strings.Repeat(" ", pad) + "\n"
	bw := bufio.NewWriter(w)
	bw.Write(npyMagic)
	bw.Write([]byte{1, 0})
	var b [8]byte
	binary.LittleEndian.PutUint16(b[:2], uint16(len(header)))
	bw.Write(b[:2])
	bw.WriteString(header)
	writeElements(bw, a)
	return bw.Flush()
}

// ReadNPYFile reads a .npy file; errors name the file.
func ReadNPYFile(path string) (*Array, error) {
	// Stat before opening: opening a FIFO for reading blocks.
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, not a .npy file", path, atomicfile.Kind(st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := ReadNPY(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// ReadMatrix reads a rank-2 float32 or float64 .npy file as a matrix (one
// embedding per row). It rejects other dtypes and ranks, empty tables and
// NaN or infinite entries.
func ReadMatrix(path string) (*mat.Dense, error) {
	a, err := ReadNPYFile(path)
	if err != nil {
		return nil, err
	}
	m, err := a.Matrix()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Matrix converts a rank-2 float array to a matrix, checking that it is
// non-empty and finite.
func (a *Array) Matrix() (*mat.Dense, error) {
	if a.DType != Float32 && a.DType != Float64 {
		return nil, fmt.Errorf("dtype %q is not a float type; an embedding table must be float32 or float64", a.DType)
	}
	if len(a.Shape) != 2 {
		return nil, fmt.Errorf("array has rank %d (shape %s); an embedding table must have rank 2 (rows × dim)", len(a.Shape), shapeString(a.Shape))
	}
	r, c := a.Shape[0], a.Shape[1]
	if r == 0 || c == 0 {
		return nil, fmt.Errorf("embedding table has shape %s; it needs at least one row and one column", shapeString(a.Shape))
	}
	for k, x := range a.Floats {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("entry at row %d column %d is %v; embeddings must be finite", k/c, k%c, x)
		}
	}
	return mat.NewDense(r, c, append([]float64(nil), a.Floats...)), nil
}

// ReadIndex reads a rank-1 int64 .npy file (a fact map) as ints.
func ReadIndex(path string) ([]int, error) {
	a, err := ReadNPYFile(path)
	if err != nil {
		return nil, err
	}
	idx, err := a.Index()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return idx, nil
}

// Index converts a rank-1 int64 array to ints.
func (a *Array) Index() ([]int, error) {
	if a.DType != Int64 {
		return nil, fmt.Errorf("dtype %q is not int64; a map must be an int64 array ('<i8')", a.DType)
	}
	if len(a.Shape) != 1 {
		return nil, fmt.Errorf("array has rank %d (shape %s); a map must have rank 1", len(a.Shape), shapeString(a.Shape))
	}
	out := make([]int, len(a.Ints))
	for i, x := range a.Ints {
		if x < math.MinInt || x > math.MaxInt {
			return nil, fmt.Errorf("entry %d = %d does not fit an int", i, x)
		}
		out[i] = int(x)
	}
	return out, nil
}

// WriteMatrix atomically writes m as a rank-2 .npy file of dtype Float32 or
// Float64.
func WriteMatrix(path string, m mat.Matrix, dtype DType) error {
	if dtype != Float32 && dtype != Float64 {
		return fmt.Errorf("tensorio: cannot write a matrix as %q; use float32 or float64", dtype)
	}
	r, c := m.Dims()
	a := &Array{DType: dtype, Shape: []int{r, c}, Floats: make([]float64, 0, r*c)}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			x := m.At(i, j)
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("tensorio: %s: entry at row %d column %d is %v; refusing to write a non-finite table", path, i, j, x)
			}
			a.Floats = append(a.Floats, x)
		}
	}
	return writeFile(path, func(w io.Writer) error { return WriteNPY(w, a) })
}

// WriteIndex atomically writes idx as a rank-1 int64 .npy file.
func WriteIndex(path string, idx []int) error {
	a := &Array{DType: Int64, Shape: []int{len(idx)}, Ints: make([]int64, len(idx))}
	for i, x := range idx {
		a.Ints[i] = int64(x)
	}
	return writeFile(path, func(w io.Writer) error { return WriteNPY(w, a) })
}

// writeFile writes a file atomically through write (see package
// atomicfile). Unlike atomicfile it does not create missing folders: writing
// into a folder that does not exist is an error.
func writeFile(path string, write func(w io.Writer) error) error {
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return err
	}
	return atomicfile.Write(path, write)
}
