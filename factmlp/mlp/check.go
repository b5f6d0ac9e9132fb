package mlp

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/linalg"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// checkWeights holds what Verify's chunks share: the weights and values,
// packed once for the float64 products (when the chunks run in parallel)
// and cast to float32 and packed for the float32 ones.
type checkWeights struct {
	g      *Gated
	values *mat.Dense
	// serial: each product runs on its chunk's goroutine (the chunks run in
	// parallel), on the packed copies below; otherwise on all cores.
	serial                     bool
	gate, up, down, vals       *linalg.Packed
	gate32, up32, down32, vs32 *linalg.Packed32
}

// checkBuffers are one goroutine's scratch matrices, reused chunk to chunk.
type checkBuffers struct {
	pre, up, y, logits          []float64
	x32, pre32, up32, y32, lg32 []float32
}

// newCheckWeights casts and packs g's weights and the values once per check.
func newCheckWeights(g *Gated, values *mat.Dense, serial bool) (*checkWeights, error) {
	w := &checkWeights{g: g, values: values, serial: serial}
	all := []struct {
		m   *mat.Dense
		p   **linalg.Packed
		p32 **linalg.Packed32
	}{{g.Gate, &w.gate, &w.gate32}, {g.Up, &w.up, &w.up32}, {g.Down, &w.down, &w.down32}, {values, &w.vals, &w.vs32}}
	for _, x := range all {
		var err error
		if serial {
			if *x.p, err = linalg.PackT(x.m.RawMatrix()); err != nil {
				return nil, fmt.Errorf("mlp: check: %w", err)
			}
		}
		if *x.p32, err = linalg.PackT32(to32(x.m)); err != nil {
			return nil, fmt.Errorf("mlp: float32 check: %w", err)
		}
	}
	return w, nil
}

// newBuffers allocates one goroutine's scratch for chunks of up to rows keys.
func (w *checkWeights) newBuffers(rows int) *checkBuffers {
	h, d := w.g.Hidden(), w.g.Dim()
	nv, _ := w.values.Dims()
	return &checkBuffers{
		pre: make([]float64, rows*h), up: make([]float64, rows*h), y: make([]float64, rows*d), logits: make([]float64, rows*nv),
		x32: make([]float32, rows*d), pre32: make([]float32, rows*h), up32: make([]float32, rows*h), y32: make([]float32, rows*d), lg32: make([]float32, rows*nv),
	}
}

// mul sets c = a·bᵀ, b given both as stored and packed: the same sums
// either way (linalg.MulPacked), on this goroutine or on all cores.
func (w *checkWeights) mul(c, a blas64.General, b *mat.Dense, packed *linalg.Packed) error {
	if w.serial {
		return linalg.MulPacked(c, a, packed)
	}
	return linalg.Mul(c, a, b.RawMatrix(), false, true)
}

// check decodes keys lo…hi of fs in float64 and float32 into out. The
// float64 products are those of Forward and the logits of Verify, the
// float32 ones gonum's for a chunk of this size (linalg.MulT32), so every
// key's result is what the serial check gave.
func (w *checkWeights) check(buf *checkBuffers, fs *factset.FactSet, lo, hi int, out []keyResult) error {
	g := w.g
	n, d, h := hi-lo, g.Dim(), g.Hidden()
	nv := fs.NumValues()
	kr := fs.Keys.RawMatrix()
	keys := blas64.General{Rows: n, Cols: d, Stride: kr.Stride, Data: kr.Data[lo*kr.Stride:]}
	pre := blas64.General{Rows: n, Cols: h, Stride: h, Data: buf.pre[:n*h]}
	up := blas64.General{Rows: n, Cols: h, Stride: h, Data: buf.up[:n*h]}
	Y := blas64.General{Rows: n, Cols: d, Stride: d, Data: buf.y[:n*d]}
	logits := blas64.General{Rows: n, Cols: nv, Stride: nv, Data: buf.logits[:n*nv]}
	if err := w.mul(pre, keys, g.Gate, w.gate); err != nil {
		return err
	}
	if err := w.mul(up, keys, g.Up, w.up); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		gateRow(g.Act, pre.Data[i*h:(i+1)*h], up.Data[i*h:(i+1)*h], g.GateBias, g.UpBias)
	}
	if err := w.mul(Y, pre, g.Down, w.down); err != nil {
		return err
	}
	addBias(Y.Data, g.DownBias)
	if err := w.mul(logits, Y, w.values, w.vals); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		out[i].ok, out[i].margin = decode(logits.Data[i*nv:(i+1)*nv], fs.Map[lo+i])
	}

	X := blas32.General{Rows: n, Cols: d, Stride: d, Data: buf.x32[:n*d]}
	for i := 0; i < n; i++ {
		for j, x := range keys.Data[i*keys.Stride : i*keys.Stride+d] {
			X.Data[i*d+j] = float32(x)
		}
	}
	pre32 := blas32.General{Rows: n, Cols: h, Stride: h, Data: buf.pre32[:n*h]}
	up32 := blas32.General{Rows: n, Cols: h, Stride: h, Data: buf.up32[:n*h]}
	Y32 := blas32.General{Rows: n, Cols: d, Stride: d, Data: buf.y32[:n*d]}
	lg32 := blas32.General{Rows: n, Cols: nv, Stride: nv, Data: buf.lg32[:n*nv]}
	parallel := !w.serial
	if err := linalg.MulT32(pre32, X, w.gate32, parallel); err != nil {
		return err
	}
	if err := linalg.MulT32(up32, X, w.up32, parallel); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		gateRow32(g.Act, pre32.Data[i*h:(i+1)*h], up32.Data[i*h:(i+1)*h], g.GateBias, g.UpBias)
	}
	if err := linalg.MulT32(Y32, pre32, w.down32, parallel); err != nil {
		return err
	}
	if g.DownBias != nil {
		for i := 0; i < n; i++ {
			for j := 0; j < d; j++ {
				Y32.Data[i*d+j] += float32(g.DownBias[j])
			}
		}
	}
	if err := linalg.MulT32(lg32, Y32, w.vs32, parallel); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		out[i].ok32, out[i].margin32 = decode32(lg32.Data[i*nv:(i+1)*nv], fs.Map[lo+i])
	}
	return nil
}

// addBias adds b (nil: none) to every row of the row-major data.
func addBias(data, b []float64) {
	if b == nil {
		return
	}
	for i := 0; i < len(data); i += len(b) {
		row := data[i : i+len(b)]
		for j := range row {
			row[j] += b[j]
		}
	}
}

// gateRow sets p[r] = σ(p[r] + gb[r])·(u[r] + ub[r]) (nil biases: none),
// the same float64 operations as Apply entry by entry.
func gateRow(act Activation, p, u, gb, ub []float64) {
	if gb != nil {
		for r := range p {
			p[r] += gb[r]
		}
	}
	if ub != nil {
		for r := range u {
			u[r] += ub[r]
		}
	}
	switch act {
	case ReLU:
		for r, a := range p {
			p[r] = relu(a) * u[r]
		}
	case Identity:
		for r, a := range p {
			p[r] = a * u[r]
		}
	default:
		for r, a := range p {
			p[r] = act.Apply(a) * u[r]
		}
	}
}

// gateRow32 is gateRow in float32, the gate computed in float64 as the
// float32 check always did.
func gateRow32(act Activation, p, u []float32, gb, ub []float64) {
	for r, a := range p {
		b := u[r]
		if gb != nil {
			a += float32(gb[r])
		}
		if ub != nil {
			b += float32(ub[r])
		}
		switch act {
		case ReLU:
			p[r] = float32(relu(float64(a))) * b
		default:
			p[r] = float32(act.Apply(float64(a))) * b
		}
	}
}

// relu is math.Max(x, 0) without its calls: x when positive or NaN, +0
// otherwise (Max(−0, 0) is +0 too).
func relu(x float64) float64 {
	if x > 0 || x != x {
		return x
	}
	return 0
}
