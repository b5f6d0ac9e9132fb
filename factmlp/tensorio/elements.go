package tensorio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// dataBytes is the number of bytes that shape's elements of size elem
// take, or an error when that exceeds limit (the bytes actually available)
// or overflows int64. A zero dimension makes the count 0 whatever the
// others are. Readers call it before allocating, so a header cannot make
// them allocate more than the file holds.
func dataBytes(shape []int, elem int, limit int64) (int64, error) {
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("shape %v has a negative dimension", shape)
		}
		if d == 0 {
			return 0, nil
		}
	}
	n := int64(elem)
	for _, d := range shape {
		if n > limit/int64(d) {
			return 0, fmt.Errorf("shape %v of %d-byte elements needs more than the %d data bytes available", shape, elem, limit)
		}
		n *= int64(d)
	}
	if n > limit {
		return 0, fmt.Errorf("shape %v of %d-byte elements needs %d bytes but only %d are available", shape, elem, n, limit)
	}
	return n, nil
}

// writeElements writes a's elements in little-endian order as its DType
// (the data layout shared by .npy and .safetensors). Element counts must
// already be checked. Write errors are ignored here: w is a bytes.Buffer or
// a bufio.Writer, whose error surfaces at Flush.
func writeElements(w io.Writer, a *Array) {
	var b [8]byte
	switch a.DType {
	case Float32:
		for _, x := range a.Floats {
			binary.LittleEndian.PutUint32(b[:4], math.Float32bits(float32(x)))
			w.Write(b[:4])
		}
	case Float64:
		for _, x := range a.Floats {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(x))
			w.Write(b[:])
		}
	case Int64:
		for _, x := range a.Ints {
			binary.LittleEndian.PutUint64(b[:], uint64(x))
			w.Write(b[:])
		}
	}
}

// readElements sets a.Floats or a.Ints to the count little-endian elements
// of a.DType at the start of data (which must hold them all).
func readElements(a *Array, data []byte, count int) {
	switch a.DType {
	case Float32:
		a.Floats = make([]float64, count)
		for i := range a.Floats {
			a.Floats[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:])))
		}
	case Float64:
		a.Floats = make([]float64, count)
		for i := range a.Floats {
			a.Floats[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
	case Int64:
		a.Ints = make([]int64, count)
		for i := range a.Ints {
			a.Ints[i] = int64(binary.LittleEndian.Uint64(data[8*i:]))
		}
	}
}
