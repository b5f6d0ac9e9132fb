package factset

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// FactSet is a set of facts k_i → v_{f(i)}.
type FactSet struct {
	Keys   *mat.Dense // |K|×d, one key embedding per row
	Values *mat.Dense // |V|×d, one value embedding per row
	Map    []int      // len |K|; Map[i] is the index of key i's value
	// Tied is true when keys and values are the same table (the map is then
	// a permutation of that table).
	Tied bool
}

// NumFacts is |K|.
func (fs *FactSet) NumFacts() int { r, _ := fs.Keys.Dims(); return r }

// NumValues is |V|.
func (fs *FactSet) NumValues() int { r, _ := fs.Values.Dims(); return r }

// Dim is the embedding dimension d.
func (fs *FactSet) Dim() int { _, c := fs.Keys.Dims(); return c }

// Validate checks shapes, finiteness, the map's range and duplicate values,
// and returns an error that says what is wrong and what is accepted.
func (fs *FactSet) Validate() error {
	if fs == nil || fs.Keys == nil || fs.Values == nil {
		return fmt.Errorf("factset: keys and values are required")
	}
	nk, dk := fs.Keys.Dims()
	nv, dv := fs.Values.Dims()
	if dk != dv {
		return fmt.Errorf("factset: keys have dimension %d but values have dimension %d; they must match", dk, dv)
	}
	if len(fs.Map) != nk {
		return fmt.Errorf("factset: map has %d entries but there are %d keys; it needs one value index per key", len(fs.Map), nk)
	}
	if err := CheckFinite("keys", fs.Keys); err != nil {
		return err
	}
	if err := CheckFinite("values", fs.Values); err != nil {
		return err
	}
	for i, j := range fs.Map {
		if j < 0 || j >= nv {
			return fmt.Errorf("factset: map[%d] = %d is out of range; value indices must be in [0, %d)", i, j, nv)
		}
	}
	return CheckDistinctRows("values", fs.Values)
}

// CheckFinite returns an error naming the first NaN or infinite entry of m.
func CheckFinite(name string, m mat.Matrix) error {
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if x := m.At(i, j); math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("factset: %s row %d column %d is %v; embeddings must be finite", name, i, j, x)
			}
		}
	}
	return nil
}

// CheckDistinctRows returns an error naming two identical rows of m: two equal
// values can never be told apart by dot-product decoding.
func CheckDistinctRows(name string, m *mat.Dense) error {
	r, _ := m.Dims()
	seen := make(map[[32]byte]int, r)
	for i := 0; i < r; i++ {
		h := sha256.New()
		var buf [8]byte
		for _, x := range m.RawRowView(i) {
			if x == 0 {
				x = 0 // fold -0 into +0
			}
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
			h.Write(buf[:])
		}
		var key [32]byte
		copy(key[:], h.Sum(nil))
		if j, ok := seen[key]; ok {
			return fmt.Errorf("factset: %s rows %d and %d are identical; every value must be distinct", name, j, i)
		}
		seen[key] = i
	}
	return nil
}

// Fingerprint is a short hash of the fact set's contents (keys, values, map),
// stored in fact-MLP files so a file is never checked against the wrong facts.
func (fs *FactSet) Fingerprint() string {
	h := sha256.New()
	var buf [8]byte
	put := func(x uint64) { binary.LittleEndian.PutUint64(buf[:], x); h.Write(buf[:]) }
	for _, m := range []*mat.Dense{fs.Keys, fs.Values} {
		r, c := m.Dims()
		put(uint64(r))
		put(uint64(c))
		for i := 0; i < r; i++ {
			for _, x := range m.RawRowView(i) {
				// Hash at float32 precision so a float32 copy of the same
				// embeddings has the same fingerprint.
				put(uint64(math.Float32bits(float32(x))))
			}
		}
	}
	for _, j := range fs.Map {
		put(uint64(j))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Targets returns the value embeddings in key order: row i is v_{f(i)}.
func (fs *FactSet) Targets() *mat.Dense {
	n, d := fs.NumFacts(), fs.Dim()
	t := mat.NewDense(n, d, nil)
	for i, j := range fs.Map {
		t.SetRow(i, fs.Values.RawRowView(j))
	}
	return t
}

// NewTied makes a fact set whose keys and values are the same table and whose
// map is a uniformly random permutation drawn from r.
func NewTied(table *mat.Dense, r *rand.Rand) *FactSet {
	n, _ := table.Dims()
	return &FactSet{Keys: table, Values: table, Map: r.Perm(n), Tied: true}
}

// NewUntied makes a fact set from separate key and value tables. With
// |K| = |V| the map is a random bijection; otherwise every value is used
// at least once where possible (many-to-one) and the rest drawn uniformly.
func NewUntied(keys, values *mat.Dense, r *rand.Rand) *FactSet {
	nk, _ := keys.Dims()
	nv, _ := values.Dims()
	m := make([]int, nk)
	perm := r.Perm(nv)
	for i := range m {
		if i < nv {
			m[i] = perm[i]
		} else {
			m[i] = r.IntN(nv)
		}
	}
	r.Shuffle(nk, func(a, b int) { m[a], m[b] = m[b], m[a] })
	return &FactSet{Keys: keys, Values: values, Map: m}
}
