package gomlxtrain

import (
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
	"gonum.org/v1/gonum/mat"
)

// The three schedules the trainers had before sharing Cosine, written out
// as they were: every learning rate they fed to a float32 graph is
// unchanged, and the GD trainer's (float64, into Adam.Fold) is bit-identical.
func TestCosineMatchesFormerSchedules(t *testing.T) {
	for _, lr := range []float64{1e-2, 6e-3, 3e-3, 2e-4} {
		for _, steps := range []int{1, 7, 400, 1500, 8000} {
			gd := Cosine{Peak: lr, Floor: 1e-6, Steps: steps}
			for s := range steps + 8 { // the GD trainer's last call may run past its budget
				old := 1e-6 + (lr-1e-6)*(1+math.Cos(math.Pi*float64(s)/float64(steps)))/2
				if got := gd.At(s); got != old {
					t.Fatalf("GD schedule lr=%g steps=%d at %d: %v, was %v", lr, steps, s, got, old)
				}
			}
			for _, warm := range []int{0, 50} {
				tr := Cosine{Peak: lr, Floor: lr / 10, Warmup: warm, Steps: steps}
				for s := range steps {
					var old float64
					if s < warm {
						old = lr * float64(s+1) / float64(warm)
					} else {
						x := float64(s-warm) / math.Max(1, float64(steps-warm))
						old = lr * (0.1 + 0.9*0.5*(1+math.Cos(math.Pi*math.Min(x, 1))))
					}
					if float32(tr.At(s)) != float32(old) {
						t.Fatalf("transformer schedule lr=%g steps=%d warm-up %d at %d: %v, was %v", lr, steps, warm, s, tr.At(s), old)
					}
				}
			}
			lm := Cosine{Peak: lr, Floor: lr / 20, Steps: steps}
			for step := 1; step <= steps; step++ {
				old := lr * (0.05 + 0.95*0.5*(1+math.Cos(math.Pi*float64(step-1)/float64(steps))))
				if float32(lm.At(step-1)) != float32(old) {
					t.Fatalf("LM schedule lr=%g steps=%d at %d: %v, was %v", lr, steps, step, lm.At(step-1), old)
				}
			}
		}
	}
	if err := (Cosine{Peak: 1e-2, Floor: 2e-2, Steps: 10}).Validate(); err == nil || !strings.Contains(err.Error(), "floor") {
		t.Fatalf("floor above peak: err = %v", err)
	}
}

// Step64 is the update rule as the float64 residual search wrote it.
func TestAdamStep64MatchesFormerResidualStep(t *testing.T) {
	a := DefaultAdam()
	x, m, v := []float64{0.3, -1.2, 2}, make([]float64, 3), make([]float64, 3)
	ox, om, ov := append([]float64(nil), x...), make([]float64, 3), make([]float64, 3)
	for step := 1; step <= 50; step++ {
		g := []float64{x[0] - 1, 3 * x[1], math.Sin(x[2])}
		a.Step64(x, m, v, g, 0.05, step)
		og := []float64{ox[0] - 1, 3 * ox[1], math.Sin(ox[2])}
		const b1, b2, eps = 0.9, 0.999, 1e-8
		for j := range ox {
			om[j] = b1*om[j] + (1-b1)*og[j]
			ov[j] = b2*ov[j] + (1-b2)*og[j]*og[j]
			mh := om[j] / (1 - math.Pow(b1, float64(step)))
			vh := ov[j] / (1 - math.Pow(b2, float64(step)))
			ox[j] -= 0.05 * mh / (math.Sqrt(vh) + eps)
		}
		for j := range x {
			if x[j] != ox[j] {
				t.Fatalf("step %d: x = %v, former step %v", step, x, ox)
			}
		}
	}
}

// The graph update, in both forms, agrees with Step64 (in float64) and
// minimises a quadratic.
func TestAdamGraphAgreesWithStep64(t *testing.T) {
	be, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	a := DefaultAdam()
	a.WeightDecay = 0.01
	const lr, steps = 0.1, 200
	target := []float64{1, -2, 0.5, 3}
	for _, folded := range []bool{false, true} {
		sig := NewSignature().Add("p", "m", "v", "target", "s1", "s2")
		exec, err := sig.Exec(be, func(in Inputs) []*Node {
			p, tg := in.Get("p"), in.Get("target")
			grad := Sub(p, tg) // ∇ of ½‖p − target‖²
			var s StepScale
			if folded {
				s = a.Folded(in.Get("s1"), in.Get("s2"))
			} else {
				s = a.InGraph(in.Get("s1"), in.Get("s2"))
			}
			p2, m2, v2 := a.Update(s, p, in.Get("m"), in.Get("v"), grad, true)
			return []*Node{p2, m2, v2}
		})
		if err != nil {
			t.Fatal(err)
		}
		p, m, v := make([]float64, 4), make([]float64, 4), make([]float64, 4)
		x, mx, vx := make([]float64, 4), make([]float64, 4), make([]float64, 4)
		sched := Cosine{Peak: lr, Floor: lr / 10, Steps: steps}
		for step := 1; step <= steps; step++ {
			s1, s2 := sched.At(step-1), float64(step)
			if folded {
				s1, s2 = a.Fold(s1, step)
			}
			args, err := sig.Args().Set("p", p).Set("m", m).Set("v", v).Set("target", target).Set("s1", s1).Set("s2", s2).List()
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.Exec(args...)
			if err != nil {
				t.Fatal(err)
			}
			p, m, v = tensors.MustCopyFlatData[float64](out[0]), tensors.MustCopyFlatData[float64](out[1]), tensors.MustCopyFlatData[float64](out[2])
			g := make([]float64, 4)
			for j := range g {
				g[j] = x[j] - target[j]
			}
			a.Step64(x, mx, vx, g, sched.At(step-1), step)
		}
		exec.Finalize()
		for j := range p {
			// The folded form scales the decay by 1/(1−β₁ᵗ): close, not equal.
			tol := 1e-12
			if folded {
				tol = 1e-3
			}
			if math.Abs(p[j]-x[j]) > tol {
				t.Fatalf("folded=%v: graph %v, Step64 %v", folded, p, x)
			}
			// Weight decay 0.01 pulls the optimum 1% towards 0.
			if want := target[j] / 1.01; math.Abs(x[j]-want) > 0.02 {
				t.Fatalf("Adam did not minimise the quadratic: %v, want ≈ %v", x, want)
			}
		}
	}
	if err := (Adam{Beta1: 1, Beta2: 0.9}).Validate(); err == nil || !strings.Contains(err.Error(), "betas 1, 0.9") {
		t.Fatalf("β₁ = 1: err = %v", err)
	}
}

// Gated.Forward equals mlp.Gated.Forward for every activation, with and
// without biases, in both weight layouts and on rank-2 and rank-3 inputs.
func TestGatedMatchesMLP(t *testing.T) {
	be, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	const h, d, n = 5, 4, 6
	r := rng.New(3)
	X := factset.Gaussian(n, d, r)
	for _, act := range []mlp.Activation{mlp.Identity, mlp.ReLU, mlp.SiLU} {
		for _, bias := range []bool{false, true} {
			g := &mlp.Gated{Gate: factset.Gaussian(h, d, r), Up: factset.Gaussian(h, d, r), Down: factset.Gaussian(d, h, r), Act: act}
			if bias {
				g.GateBias, g.UpBias, g.DownBias = make([]float64, h), make([]float64, h), make([]float64, d)
				for i := range h {
					g.GateBias[i], g.UpBias[i] = r.NormFloat64(), r.NormFloat64()
				}
				for i := range d {
					g.DownBias[i] = r.NormFloat64()
				}
			}
			want := g.Forward(X)
			for _, inputMajor := range []bool{false, true} {
				for _, rank3 := range []bool{false, true} {
					data, dims := GatedData(g)
					if inputMajor {
						data[0], dims[0] = Float32s(g.Gate.T()), []int{d, h}
						data[1], dims[1] = Float32s(g.Up.T()), []int{d, h}
					}
					sig := NewSignature().Add("x").Group("mlp", len(GatedNames))
					exec, err := sig.Exec(be, func(in Inputs) []*Node {
						p := in.Group("mlp")
						w := Gated{Act: act, Gate: p[0], Up: p[1], Down: p[2], InputMajor: inputMajor}
						if bias {
							w.GateBias, w.UpBias, w.DownBias = p[3], p[4], p[5]
						}
						x := in.Get("x")
						if rank3 {
							x = Reshape(x, 2, n/2, d)
						}
						return []*Node{Reshape(w.Apply(x), n, d)}
					})
					if err != nil {
						t.Fatal(err)
					}
					ts := make([]*tensors.Tensor, len(data))
					for i := range data {
						ts[i] = tensors.FromFlatDataAndDimensions(data[i], dims[i]...)
					}
					args, err := sig.Args().Set("x", Tensor(X)).SetTensors("mlp", ts).List()
					if err != nil {
						t.Fatal(err)
					}
					out, err := exec.Exec(args...)
					if err != nil {
						t.Fatal(err)
					}
					got := Dense64(tensors.MustCopyFlatData[float32](out[0]), n, d)
					exec.Finalize()
					if !mat.EqualApprox(got, want, 1e-4) {
						t.Fatalf("act %s bias %v input-major %v rank-3 %v:\n%v\nwant\n%v", act, bias, inputMajor, rank3, mat.Formatted(got), mat.Formatted(want))
					}
				}
			}
		}
	}
}

func TestArgsNameWhatIsMissing(t *testing.T) {
	sig := NewSignature().Add("lr").Group("param", 2)
	_, err := sig.Args().Set("lr", float32(1)).SetGroup("param", float32(0), float32(0)).List()
	if err != nil {
		t.Fatal(err)
	}
	_, err = sig.Args().SetGroup("param", float32(0), float32(0)).List()
	if err == nil || !strings.Contains(err.Error(), "lr") {
		t.Fatalf("missing lr: err = %v", err)
	}
	if sig.Len() != 3 {
		t.Fatalf("Len = %d, want 3", sig.Len())
	}
	_, err = sig.Args().Set("lr", float32(1)).Set("param", float32(0)).List()
	if err == nil || !strings.Contains(err.Error(), `1 values for graph input "param"`) {
		t.Fatalf("one value for a group of two: err = %v", err)
	}
	_, err = sig.Args().Set("lr", float32(1)).Set("momentum", float32(0)).List()
	if err == nil || !strings.Contains(err.Error(), `"momentum"`) {
		t.Fatalf("undeclared input: err = %v", err)
	}
	dup := NewSignature().Add("x", "x")
	if _, err := dup.Args().Set("x", float32(0)).List(); err == nil || !strings.Contains(err.Error(), `"x" declared twice`) {
		t.Fatalf("duplicate declaration: err = %v", err)
	}
}

func TestConversionRoundTrip(t *testing.T) {
	m := mat.NewDense(2, 3, []float64{1, 0.5, -2, 3.25, 0, 1e-3})
	back := Dense64(Float32s(m), 2, 3)
	if !mat.EqualApprox(back, m, 1e-7) {
		t.Fatalf("round trip %v", mat.Formatted(back))
	}
	if tr := Float32s(m.T()); tr[1] != 3.25 {
		t.Fatalf("transpose view flattened as %v", tr)
	}
	if v := Vec32(nil, 3); len(v) != 3 || v[2] != 0 {
		t.Fatalf("absent bias: %v", v)
	}
}
