package linalg

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas64"
)

// Packed is a matrix B (n×k) packed once into the kernel's panel layout for
// many products A·Bᵀ with the same B (MulPacked). A search that multiplies
// a fixed table by one small block of vectors after another (package
// geometry's scans of the values, say) otherwise repacks the whole table at
// every product, which costs as much as the product itself when A has few
// rows.
type Packed struct {
	n, k   int
	panels [][]float64 // one per depth block of kcMax columns of B
}

// PackT packs b (n×k, rows as stored) for MulPacked. The packed copy is
// about the size of b; b is not referenced afterwards.
func PackT(b blas64.General) (*Packed, error) {
	if err := checkGeneral("PackT", b); err != nil {
		return nil, err
	}
	if b.Rows == 0 || b.Cols == 0 {
		return nil, fmt.Errorf("linalg: PackT: b is %d×%d; it must not be empty", b.Rows, b.Cols)
	}
	n, k := b.Rows, b.Cols
	kc := min(k, kcMax)
	nTiles := (n + nr - 1) / nr
	p := &Packed{n: n, k: k}
	y := operand{data: b.Data, ld: b.Stride}
	for p0 := 0; p0 < k; p0 += kc {
		kb := min(kc, k-p0)
		panel := make([]float64, nTiles*nr*kb)
		pack(panel, y, n, nr, p0, kb, 1)
		p.panels = append(p.panels, panel)
	}
	return p, nil
}

// Dims returns the size of the packed matrix B.
func (p *Packed) Dims() (rows, cols int) { return p.n, p.k }

// MulPacked sets c (m×n) = a·Bᵀ, where a is m×k and B (n×k) was packed by
// PackT. It gives the same values as Mul(c, a, B, false, true), bit for
// bit, and runs on the calling goroutine only: it is meant for callers
// that already spread their products over goroutines.
func MulPacked(c, a blas64.General, b *Packed) error {
	if b == nil {
		return fmt.Errorf("linalg: MulPacked: no packed matrix; pack it with PackT")
	}
	if err := checkGeneral("MulPacked: c", c); err != nil {
		return err
	}
	if err := checkGeneral("MulPacked: a", a); err != nil {
		return err
	}
	if a.Cols != b.k || c.Rows != a.Rows || c.Cols != b.n {
		return fmt.Errorf("linalg: MulPacked: a is %d×%d, the packed B %d×%d, c %d×%d; want c = a·Bᵀ, (m×k)·(k×n) with m×n c", a.Rows, a.Cols, b.n, b.k, c.Rows, c.Cols)
	}
	// The first depth block sets c, so it needs no clearing.
	gemmPacked(a.Rows, b.n, b.k, 1, operand{data: a.Data, ld: a.Stride}, operand{}, b, c.Data, c.Stride, false, false, true)
	return nil
}
