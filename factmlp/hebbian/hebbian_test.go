package hebbian_test

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/hebbian"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"gonum.org/v1/gonum/mat"
)

func gen(t *testing.T, s factset.Spec) *factset.FactSet {
	t.Helper()
	fs, err := s.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// Every variant stores spherical and anisotropic fact sets exactly (float64
// and float32) at the minimal width the one width search finds, and not one
// unit below it. F = 12 < d: the unwhitened readout's crosstalk does not
// vanish as m grows, so it stores only small F (TestUnwhitenedSaturates).
func TestStoresAtMinimalWidth(t *testing.T) {
	sets := []factset.Spec{
		{N: 12, Dim: 16, Seed: 3},
		{Family: factset.FamilyConditioned, Kappa: 10, N: 12, Dim: 16, Seed: 3},
		{Family: factset.FamilySpiked, Beta: 1.5, N: 12, Dim: 16, Seed: 3},
	}
	for _, s := range sets {
		fs := gen(t, s)
		for _, v := range hebbian.Variants {
			m, err := method.New(v.MethodName(), method.Settings{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := m.Prepare(fs, 7)
			if err != nil {
				t.Fatal(err)
			}
			min, err := method.Smallest(b, method.SmallestOptions{Max: 1 << 13})
			if err != nil {
				t.Fatalf("%v, %s: %v", s, v, err)
			}
			rep, err := mlp.Verify(min.MLP, fs)
			if err != nil || !rep.Stores() || min.MLP.Hidden() != min.Hidden {
				t.Fatalf("%v, %s: minimal width %d re-verified as %v (%v)", s, v, min.Hidden, rep, err)
			}
			if min.MLP.Method != v.MethodName() || min.MLP.Act != mlp.Identity {
				t.Fatalf("%s: method %q, act %q", v, min.MLP.Method, min.MLP.Act)
			}
			if min.Hidden > 1 {
				_, below, err := b.Build(min.Hidden - 1)
				if err == nil && below.Stores() {
					t.Fatalf("%v, %s: width %d below the minimum %d stores too", s, v, min.Hidden-1, min.Hidden)
				}
			}
			t.Logf("%v %-14s m = %4d  params %6d  γ_min %.3g", s, v, min.Hidden, min.Params, rep.MinMargin)
		}
	}
}

// The raw Hebbian readout saturates: as m → ∞ its scores tend to the
// quadratic-kernel sums Σ_j ⟨v, v_f(j)⟩⟨k_j, x⟩², whose crosstalk does not
// vanish, so at F = 4d no width up to 2¹² stores, while the whitened
// readout stores at a width below F.
func TestUnwhitenedSaturates(t *testing.T) {
	fs := gen(t, factset.Spec{N: 64, Dim: 16, Seed: 1})
	for _, c := range []struct {
		v      hebbian.Variant
		stores bool
	}{{hebbian.Unwhitened, false}, {hebbian.Whitened, true}} {
		b, err := method.Hebbian{Variant: c.v}.Prepare(fs, 1)
		if err != nil {
			t.Fatal(err)
		}
		min, err := method.Smallest(b, method.SmallestOptions{Max: 1 << 12})
		if c.stores != (err == nil) {
			t.Fatalf("%s at F = 64, d = 16: %v (want stores = %v)", c.v, err, c.stores)
		}
		if c.stores && min.Hidden >= 64 {
			t.Fatalf("%s: minimal width %d, want < F = 64", c.v, min.Hidden)
		}
	}
}

func TestSameSeedSameWeights(t *testing.T) {
	fs := gen(t, factset.Spec{N: 32, Dim: 8, Seed: 1})
	for _, v := range hebbian.Variants {
		a, err := hebbian.Build(fs, 24, hebbian.Options{Variant: v, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := hebbian.Build(fs, 24, hebbian.Options{Variant: v, Seed: 5})
		c, _ := hebbian.Build(fs, 24, hebbian.Options{Variant: v, Seed: 6})
		if !mat.Equal(a.Gate, b.Gate) || !mat.Equal(a.Up, b.Up) || !mat.Equal(a.Down, b.Down) {
			t.Fatalf("%s: same seed, different weights", v)
		}
		if mat.Equal(a.Down, c.Down) {
			t.Fatalf("%s: seeds 5 and 6 give the same readout", v)
		}
	}
}

func TestBadInput(t *testing.T) {
	fs := gen(t, factset.Spec{N: 16, Dim: 8, Seed: 1})
	empty := &factset.FactSet{Keys: &mat.Dense{}, Values: &mat.Dense{}}
	cases := []struct {
		name string
		fs   *factset.FactSet
		m    int
		o    hebbian.Options
		want string
	}{
		{"m<1", fs, -3, hebbian.Options{Variant: hebbian.Whitened}, "-3"},
		{"variant", fs, 8, hebbian.Options{Variant: "hopfield"}, "hopfield"},
		{"no variant", fs, 8, hebbian.Options{}, "accepted"},
		{"ridge", fs, 8, hebbian.Options{Variant: hebbian.Whitened, Ridge: -1}, "ridge -1"},
		{"nan ridge", fs, 8, hebbian.Options{Variant: hebbian.Whitened, Ridge: math.NaN()}, "NaN"},
		{"nil facts", nil, 8, hebbian.Options{Variant: hebbian.Whitened}, "no fact set"},
		{"empty facts", empty, 8, hebbian.Options{Variant: hebbian.Whitened}, "empty fact set"},
	}
	for _, c := range cases {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s: panic %v", c.name, r)
				}
			}()
			_, err := hebbian.Build(c.fs, c.m, c.o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("%s: error %v; want one naming %q", c.name, err, c.want)
			}
		}()
	}
	b, err := method.Hebbian{Variant: hebbian.Unwhitened}.Prepare(fs, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Build(-1); err == nil || !strings.Contains(err.Error(), "-1") {
		t.Fatalf("width -1: %v", err)
	}
	if _, err := (method.Hebbian{Variant: hebbian.Whitened}).Prepare(empty, 1); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty fact set prepared: %v", err)
	}
	if _, err := (method.Hebbian{}).Prepare(fs, 1); err == nil {
		t.Fatal("a Hebbian method without a variant prepared")
	}
}

func TestParamsAndDefaults(t *testing.T) {
	fs := gen(t, factset.Spec{N: 20, Dim: 8, Seed: 2})
	for _, v := range hebbian.Variants {
		g, err := hebbian.Build(fs, 0, hebbian.Options{Variant: v, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		m, d := hebbian.DefaultWidth(8), 8
		if g.Hidden() != m || hebbian.SuccessorParams(g) != 3*m*d || g.Params() != 3*m*d {
			t.Fatalf("%s: width %d, successor params %d, ours %d; want %d, %d", v, g.Hidden(), hebbian.SuccessorParams(g), g.Params(), m, 3*m*d)
		}
		want := m * d // A₀, A₁ regenerate from the seed
		if v == hebbian.DataDependent {
			want = 3 * m * d
		}
		if g.ParamsWithoutSeeded() != want {
			t.Fatalf("%s: params without seeded %d, want %d", v, g.ParamsWithoutSeeded(), want)
		}
		if p, err := hebbian.ParseVariant(v.MethodName()); err != nil || p != v {
			t.Fatalf("ParseVariant(%q) = %q, %v", v.MethodName(), p, err)
		}
	}
}

// The raw readout is the Hebbian outer product: with orthonormal keys equal
// to the values and a single feature map, W φ(k_i) is Σ_j v_j ⟨φ_j, φ_i⟩/(mF).
func TestRawReadoutIsOuterProduct(t *testing.T) {
	fs := gen(t, factset.Spec{N: 12, Dim: 6, Seed: 4})
	g, err := hebbian.Build(fs, 10, hebbian.Options{Variant: hebbian.Unwhitened, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	H := g.HiddenActivations(fs.Keys) // unscaled φ, F×m
	var want mat.Dense
	want.Mul(fs.Targets().T(), H)
	want.Scale(1/(10*12.0), &want) // (1/√m)² · 1/F
	if !mat.EqualApprox(&want, g.Down, 1e-12) {
		t.Fatal("the unwhitened readout is not VᵀΦ/F with φ scaled by 1/√m")
	}
}

func TestSaveLoad(t *testing.T) {
	fs := gen(t, factset.Spec{N: 24, Dim: 8, Seed: 1})
	o := hebbian.Options{Variant: hebbian.DataDependent, Seed: 3}
	g, err := hebbian.Build(fs, 32, o)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "h.safetensors")
	if err := hebbian.SaveFile(path, g, fs, o); err != nil {
		t.Fatal(err)
	}
	back, meta, err := mlp.LoadFileFor(path, fs)
	if err != nil {
		t.Fatal(err)
	}
	if back.Method != "hebbian-data-dependent" || meta.All["hebbian_variant"] != "data_dependent" || meta.All["hebbian_ridge"] != "1e-06" {
		t.Fatalf("method %q, metadata %v", back.Method, meta.All)
	}
	if !mat.Equal(back.Gate, g.Gate) || !mat.Equal(back.Down, g.Down) {
		t.Fatal("weights changed in the round trip")
	}
	if err := hebbian.SaveFile(path, g, fs, hebbian.Options{Variant: hebbian.Whitened}); err == nil {
		t.Fatal("saved a data-dependent MLP as whitened")
	}
}
