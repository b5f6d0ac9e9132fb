package editing

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// decodeAll returns the argmax value of every key.
func decodeAll(g *mlp.Gated, fs *factset.FactSet) []int {
	Y := g.Forward(fs.Keys)
	var S mat.Dense
	S.Mul(Y, fs.Values.T())
	n, nv := S.Dims()
	out := make([]int, n)
	for i := 0; i < n; i++ {
		best := 0
		for j := 1; j < nv; j++ {
			if S.At(i, j) > S.At(i, best) {
				best = j
			}
		}
		out[i] = best
	}
	return out
}

// A tiny exact fact MLP; fact a is re-pointed to value b with the residual
// r = v_b − y(k_a). Every method must change exactly that one fact.
func TestRankOneEditChangesExactlyOneFact(t *testing.T) {
	const n, d = 12, 16
	r := rng.New(3)
	fs := factset.NewTied(factset.Spherical(n, d, r), r)
	g, err := LeastSquares(fs, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	if rep, _ := mlp.Verify(g, fs); !rep.Stores() {
		t.Fatalf("tiny MLP does not store its facts: %s", rep)
	}
	H := g.HiddenActivations(fs.Keys) // n×h
	const a = 4
	b := (fs.Map[a] + 5) % n
	for _, method := range []string{MEMIT, ROME, AlphaEdit} {
		Ka := mat.DenseCopyOf(H.Slice(a, a+1, 0, n).T())
		var Kp mat.Dense
		rows := []int{}
		for i := 0; i < n; i++ {
			if i != a {
				rows = append(rows, i)
			}
		}
		Kp.ReuseAs(n, len(rows))
		for c, i := range rows {
			for j := 0; j < n; j++ {
				Kp.Set(j, c, H.At(i, j))
			}
		}
		y := g.Forward(fs.Keys.Slice(a, a+1, 0, d))
		R := mat.NewDense(d, 1, nil)
		for j := 0; j < d; j++ {
			R.Set(j, 0, fs.Values.At(b, j)-y.At(0, j))
		}
		var dW *mat.Dense
		switch method {
		case MEMIT:
			dW, err = MEMITUpdate(g.Down, Ka, R, &Kp, 1)
		case ROME:
			dW, err = ROMEUpdate(g.Down, Ka, R, &Kp)
		case AlphaEdit:
			dW, err = AlphaEditUpdate(g.Down, Ka, R, &Kp, 1e-6, 1e-9)
		}
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		e := *g
		e.Down = mat.NewDense(d, n, nil)
		e.Down.Add(g.Down, dW)
		got := decodeAll(&e, fs)
		for i := range got {
			want := fs.Map[i]
			if i == a {
				want = b
			}
			if got[i] != want {
				t.Errorf("%s: fact %d decodes to %d, want %d", method, i, got[i], want)
			}
		}
	}
}

func TestEditShapeErrors(t *testing.T) {
	W := mat.NewDense(3, 4, nil)
	if _, err := MEMITUpdate(W, mat.NewDense(5, 1, nil), mat.NewDense(3, 1, nil), mat.NewDense(4, 6, nil), 1); err == nil {
		t.Fatal("wrong key height accepted")
	}
	if _, err := AlphaEditUpdate(W, mat.NewDense(4, 1, nil), mat.NewDense(3, 1, nil), mat.NewDense(4, 6, nil), 0, 1); err == nil {
		t.Fatal("tol 0 accepted")
	}
	if _, err := ParseMethod("finetune"); err == nil {
		t.Fatal("unknown method accepted")
	}
}

// AlphaEdit's update (AlphaEdit paper, Eq. for ΔW with the projector P onto
// the null space of the preserved keys) leaves every preserved key's output
// unchanged when the preserved keys leave a null space, and the null
// space's dimension is h minus their rank.
func TestAlphaEditKeepsPreservedKeys(t *testing.T) {
	const h, d, np, na = 12, 5, 7, 3
	r := rng.New(9)
	gauss := func(rows, cols int) *mat.Dense {
		m := mat.NewDense(rows, cols, nil)
		for i := range m.RawMatrix().Data {
			m.RawMatrix().Data[i] = r.NormFloat64()
		}
		return m
	}
	W, Kp, Ka, R := gauss(d, h), gauss(h, np), gauss(h, na), gauss(d, na)
	P, dim, err := NullSpaceProjector(Kp, 1e-9)
	if err != nil {
		t.Fatal(err)
	}
	if dim != h-np {
		t.Fatalf("null space of %d generic keys in %d dims has dimension %d; want %d", np, h, dim, h-np)
	}
	dW, err := AlphaEditUpdate(W, Ka, R, Kp, 1e-9, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	var out mat.Dense
	out.Mul(dW, Kp)
	if n := mat.Norm(&out, 2) / mat.Norm(dW, 2); n > 1e-9 {
		t.Fatalf("‖ΔW K_p‖/‖ΔW‖ = %g; AlphaEdit must leave preserved keys unchanged", n)
	}
	if dW, err = AlphaEditUpdate(W, Ka, R, Kp, 1e-9, 1e-9); err != nil {
		t.Fatal(err)
	}
	// With μ → 0 the edit reaches its targets where the projected keys
	// are independent (na ≤ null-space dimension): ΔW k_a = r_a.
	var got mat.Dense
	got.Mul(dW, Ka)
	got.Sub(&got, R)
	if n := mat.Norm(&got, 2); n > 1e-5 {
		t.Fatalf("‖ΔW K_a − R‖ = %g; want ≈ 0", n)
	}
	var PP mat.Dense
	PP.Mul(P, P)
	PP.Sub(&PP, P)
	if n := mat.Norm(&PP, 2); n > 1e-9 {
		t.Fatalf("P is not a projector: ‖P² − P‖ = %g", n)
	}
	// No null space at all (preserved keys span every direction): no edit.
	_, dim, _ = NullSpaceProjector(gauss(h, 3*h), 1e-9)
	if dim != 0 {
		t.Fatalf("3h generic keys leave a %d-dim null space; want 0", dim)
	}
}
