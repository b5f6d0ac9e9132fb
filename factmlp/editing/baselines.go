package editing

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

// HParams is one point of a method's hyper-parameter grid.
type HParams struct {
	Residual ResidualOptions
	Lambda   float64 // MEMIT
	Tol, Mu  float64 // AlphaEdit (Mu relative to the mean ‖k_a‖²)
}

func (h HParams) String(method string) string {
	r := h.Residual
	base := fmt.Sprintf("steps=%d lr=%g clip=%g", r.Steps, r.LR, r.Clip)
	switch method {
	case MEMIT:
		return base + fmt.Sprintf(" λ=%g", h.Lambda)
	case AlphaEdit:
		return base + fmt.Sprintf(" tol=%g μ=%g", h.Tol, h.Mu)
	case ROME:
		return base + fmt.Sprintf(" wd=%g early_stop=%g", r.WD, r.EarlyStop)
	}
	return ""
}

// Edit applies one baseline with fixed hyper-parameters and returns the
// edited fact MLP (a copy; the base model is not modified).
func (b *Base) Edit(method string, sp *EditSplit, hp HParams) (*mlp.Gated, error) {
	R, Ka, Kp := b.Residuals(sp, hp.Residual)
	return b.editWith(method, hp, R, Ka, Kp)
}

// editWith is Edit with the residuals and keys given.
func (b *Base) editWith(method string, hp HParams, R, Ka, Kp *mat.Dense) (*mlp.Gated, error) {
	return editOn(b.LM.Fact, method, hp, R, Ka, Kp)
}

// editOn applies a baseline's update to the down-projection of cur.
func editOn(cur *mlp.Gated, method string, hp HParams, R, Ka, Kp *mat.Dense) (*mlp.Gated, error) {
	W := cur.Down
	var dW *mat.Dense
	var err error
	switch method {
	case MEMIT:
		dW, err = MEMITUpdate(W, Ka, R, Kp, hp.Lambda)
	case ROME:
		dW, err = ROMEUpdate(W, Ka, R, Kp)
	case AlphaEdit:
		_, na := Ka.Dims()
		ms := 0.0
		for c := 0; c < na; c++ {
			ms += mat.Norm(Ka.ColView(c), 2) * mat.Norm(Ka.ColView(c), 2) / float64(na)
		}
		dW, err = AlphaEditUpdate(W, Ka, R, Kp, hp.Tol, hp.Mu*ms)
	default:
		return nil, fmt.Errorf("editing: Edit takes memit, rome or alphaedit, not %q", method)
	}
	if err != nil {
		return nil, err
	}
	e := *cur
	e.Down = mat.NewDense(W.RawMatrix().Rows, W.RawMatrix().Cols, nil)
	e.Down.Add(W, dW)
	e.Method = cur.Method + "+" + method
	return &e, nil
}

// Grid is a hyper-parameter grid; every combination of the fields a method
// uses is tried and the best editing score kept.
type Grid struct {
	Steps     []int
	LR        []float64
	Clip      []float64 // 0: no clipping
	Lambda    []float64 // MEMIT
	Tol, Mu   []float64 // AlphaEdit
	WD        []float64 // ROME
	EarlyStop []float64 // ROME; 0: none
}

// DefaultGrid follows the authors' grids (paper.md §7.2), with AlphaEdit's
// tolerance relative to the largest eigenvalue and its μ (the "+I" weight)
// relative to the mean squared key norm.
func DefaultGrid() Grid {
	return Grid{Steps: []int{10, 25, 100}, LR: []float64{0.005, 0.05, 0.5}, Clip: []float64{0.5, 0.75, 1, 0},
		Lambda: []float64{15000, 1500, 150, 10, 1}, Tol: []float64{1e-1, 1e-2, 1e-3}, Mu: []float64{1, 1e-2, 1e-4},
		WD: []float64{0.0015, 0.00015, 0}, EarlyStop: []float64{0.05, 0}}
}

// SuccessorSubsetGrid keeps MEMIT's λ and clip values and ROME's weight
// decays and early stops from the successor code's grids (paper.md §7.2:
// λ 15000 … 1, clip 0.5 … 1) with fewer residual-search settings (steps
// 25, 100; lr 0.05, 0.5); AlphaEdit takes the same clips, its tolerance
// relative to the largest eigenvalue (0.01, 0.001) and μ = 0.01 of the
// mean squared key norm: 48 MEMIT, 24 AlphaEdit and 16 ROME settings.
func SuccessorSubsetGrid() Grid {
	return Grid{Steps: []int{25, 100}, LR: []float64{0.05, 0.5}, Clip: []float64{0.5, 0.75, 1},
		Lambda: []float64{15000, 1500, 150, 1}, Tol: []float64{1e-2, 1e-3}, Mu: []float64{1e-2},
		WD: []float64{0.0015, 0}, EarlyStop: []float64{0.05, 0}}
}

// SmallGrid is a reduced grid for smoke runs and tests.
func SmallGrid() Grid {
	return Grid{Steps: []int{25, 100}, LR: []float64{0.05, 0.5}, Clip: []float64{1, 0},
		Lambda: []float64{150, 10, 1}, Tol: []float64{1e-2, 1e-3}, Mu: []float64{1e-2, 1e-4},
		WD: []float64{0}, EarlyStop: []float64{0}}
}

func (g Grid) points(method string) []HParams {
	var out []HParams
	for _, s := range g.Steps {
		for _, lr := range g.LR {
			switch method {
			case MEMIT:
				for _, c := range g.Clip {
					for _, l := range g.Lambda {
						out = append(out, HParams{Residual: ResidualOptions{Steps: s, LR: lr, Clip: c}, Lambda: l})
					}
				}
			case AlphaEdit:
				for _, c := range g.Clip {
					for _, t := range g.Tol {
						for _, m := range g.Mu {
							out = append(out, HParams{Residual: ResidualOptions{Steps: s, LR: lr, Clip: c}, Tol: t, Mu: m})
						}
					}
				}
			case ROME:
				for _, wd := range g.WD {
					for _, es := range g.EarlyStop {
						out = append(out, HParams{Residual: ResidualOptions{Steps: s, LR: lr, WD: wd, EarlyStop: es}})
					}
				}
			}
		}
	}
	return out
}
