package factset

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

func singular(m *mat.Dense) []float64 {
	var svd mat.SVD
	svd.Factorize(m, mat.SVDNone)
	return svd.Values(nil)
}

func TestConditionSpectrum(t *testing.T) {
	e := Spherical(200, 16, rng.New(1))
	for _, kappa := range []float64{1, 4, 100} {
		c, err := Condition(e, kappa)
		if err != nil {
			t.Fatal(err)
		}
		s := singular(c)
		if got := s[0] / s[len(s)-1]; math.Abs(got-kappa) > 1e-9*kappa {
			t.Fatalf("κ=%v: condition number %v", kappa, got)
		}
		// Linear spacing and Frobenius norm kept.
		step := s[0] - s[1]
		for k := 1; k < len(s); k++ {
			if math.Abs((s[k-1]-s[k])-step) > 1e-9 {
				t.Fatalf("κ=%v: singular values not evenly spaced: %v", kappa, s)
			}
		}
		if math.Abs(mat.Norm(c, 2)-mat.Norm(e, 2)) > 1e-9 {
			t.Fatalf("κ=%v: Frobenius norm %v, want %v", kappa, mat.Norm(c, 2), mat.Norm(e, 2))
		}
	}
	if _, err := Condition(e, 0.5); err == nil || !strings.Contains(err.Error(), "≥ 1") {
		t.Fatalf("κ<1: %v", err)
	}
}

func TestSpikeStatistics(t *testing.T) {
	n, d := 4000, 32
	e := Spherical(n, d, rng.New(2))
	u := RandomUnit(d, rng.New(3))
	beta := 1.5
	s, err := Spike(e, beta, u)
	if err != nil {
		t.Fatal(err)
	}
	var before, after float64
	for i := 0; i < n; i++ {
		if math.Abs(mat.Norm(s.RowView(i), 2)-1) > 1e-12 {
			t.Fatalf("spiked row %d not unit", i)
		}
		pb := mat.Dot(e.RowView(i), mat.NewVecDense(d, u))
		pa := mat.Dot(s.RowView(i), mat.NewVecDense(d, u))
		before += pb * pb / float64(n)
		after += pa * pa / float64(n)
	}
	// E⟨e,u⟩² = 1/d. After the spike ⟨e',u⟩² = g p²/(1+(g−1)p²) with
	// g = (1+β)² and p = ⟨e,u⟩, whose density on [−1,1] is ∝ (1−p²)^((d−3)/2).
	g := (1 + beta) * (1 + beta)
	var num, den float64
	for k := 1; k < 20000; k++ {
		p := -1 + 2*float64(k)/20000
		w := math.Pow(1-p*p, float64(d-3)/2)
		num += w * g * p * p / (1 + (g-1)*p*p)
		den += w
	}
	want := num / den
	if math.Abs(before-1/float64(d)) > 0.1/float64(d) || math.Abs(after-want) > 0.05*want {
		t.Fatalf("spike energy before %v (want %v), after %v (want %v)", before, 1/float64(d), after, want)
	}
	if _, err := Spike(e, -1, u); err == nil {
		t.Fatal("negative β accepted")
	}
}

func TestClusteredStatistics(t *testing.T) {
	m, err := Clustered(300, 32, 10, 0.3, rng.New(4))
	if err != nil {
		t.Fatal(err)
	}
	var within, between float64
	var nw, nb int
	for i := 0; i < 300; i++ {
		if math.Abs(mat.Norm(m.RowView(i), 2)-1) > 1e-12 {
			t.Fatalf("row %d not unit", i)
		}
		for j := i + 1; j < 300; j++ {
			c := mat.Dot(m.RowView(i), m.RowView(j))
			if i%10 == j%10 {
				within += c
				nw++
			} else {
				between += c
				nb++
			}
		}
	}
	within /= float64(nw)
	between /= float64(nb)
	if within < 0.8 || math.Abs(between) > 0.1 {
		t.Fatalf("mean cosine within clusters %v (want > 0.8), between %v (want ≈ 0)", within, between)
	}
	if _, err := Clustered(5, 3, 9, 0.3, rng.New(1)); err == nil {
		t.Fatal("more clusters than values accepted")
	}
}

func TestGaussianFamilyNorms(t *testing.T) {
	fs, err := Spec{Family: "gaussian", N: 2000, Dim: 64, Seed: 1}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	var mean float64
	for i := 0; i < 2000; i++ {
		mean += mat.Norm(fs.Values.RowView(i), 2) / 2000
	}
	if math.Abs(mean-1) > 0.02 {
		t.Fatalf("gaussian rows have mean norm %v, want ≈ 1", mean)
	}
}

func TestSpecGenerate(t *testing.T) {
	for _, fam := range Families {
		a, err := Spec{Family: fam, N: 64, Dim: 8, Seed: 5}.Generate()
		if err != nil {
			t.Fatalf("%s: %v", fam, err)
		}
		b, _ := Spec{Family: fam, N: 64, Dim: 8, Seed: 5}.Generate()
		c, _ := Spec{Family: fam, N: 64, Dim: 8, Seed: 6}.Generate()
		if !mat.Equal(a.Values, b.Values) || a.Fingerprint() != b.Fingerprint() {
			t.Fatalf("%s: same seed, different fact sets", fam)
		}
		if mat.Equal(a.Values, c.Values) {
			t.Fatalf("%s: different seeds, same values", fam)
		}
		if !a.Tied || a.Keys != a.Values {
			t.Fatalf("%s: default should be tied", fam)
		}
	}
	// Untied many-to-one: 3 keys per value, every value used.
	fs, err := Spec{Family: "spiked", N: 20, Dim: 8, Keys: 60, Untied: true, Seed: 1}.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if fs.Tied || fs.NumFacts() != 60 || fs.NumValues() != 20 {
		t.Fatalf("untied shapes: %d keys %d values", fs.NumFacts(), fs.NumValues())
	}
	used := map[int]bool{}
	for _, j := range fs.Map {
		used[j] = true
	}
	if len(used) != 20 {
		t.Fatalf("many-to-one map uses %d of 20 values", len(used))
	}
	// Untied bijective.
	fs, _ = Spec{N: 30, Dim: 8, Untied: true, Seed: 2}.Generate()
	seen := map[int]bool{}
	for _, j := range fs.Map {
		seen[j] = true
	}
	if len(seen) != 30 || mat.Equal(fs.Keys, fs.Values) {
		t.Fatal("untied bijective map is not a permutation with separate keys")
	}
	bad := []struct {
		s    Spec
		want string
	}{
		{Spec{Family: "cubic", N: 4, Dim: 2}, "unknown family \"cubic\"; accepted: spherical, gaussian"},
		{Spec{N: 1, Dim: 2}, "at least 2"},
		{Spec{N: 4, Dim: 0}, "dimension 0"},
		{Spec{N: 4, Dim: 2, Keys: 8}, "tied fact set has one key per value"},
		{Spec{Family: "conditioned", N: 4, Dim: 2, Kappa: 0.5}, "κ = 0.5"},
		{Spec{Family: "spiked", N: 4, Dim: 2, Beta: -1}, "β = -1"},
		{Spec{Family: "clustered", N: 4, Dim: 2, Clusters: 9}, "clusters = 9"},
	}
	for _, b := range bad {
		if _, err := b.s.Generate(); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v: want error containing %q, got %v", b.s, b.want, err)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	fs, _ := Spec{Family: "conditioned", N: 12, Dim: 4, Keys: 30, Untied: true, Seed: 3}.Generate()
	if err := fs.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := Load(filepath.Join(dir, "keys.npy"), filepath.Join(dir, "values.npy"), filepath.Join(dir, "map.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if back.Fingerprint() != fs.Fingerprint() || !mat.Equal(back.Values, fs.Values) {
		t.Fatal("save/load changed the fact set")
	}
	// Values only: tied with the identity map.
	vo, err := Load("", filepath.Join(dir, "values.npy"), "")
	if err != nil || !vo.Tied || vo.Map[5] != 5 {
		t.Fatalf("values-only load: %v", err)
	}
	// Bad inputs, each with a message naming the problem.
	write := func(name string, f func(p string) error) string {
		p := filepath.Join(dir, name)
		if err := f(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	short := write("short.npy", func(p string) error { return tensorio.WriteIndex(p, []int{0, 1}) })
	outOfRange := write("oor.npy", func(p string) error {
		m := append([]int(nil), fs.Map...)
		m[7] = 12
		return tensorio.WriteIndex(p, m)
	})
	wrongDim := write("dim5.npy", func(p string) error { return tensorio.WriteMatrix(p, mat.NewDense(3, 5, nil), tensorio.Float64) })
	dup := write("dup.npy", func(p string) error { return tensorio.WriteMatrix(p, mat.NewDense(3, 4, nil), tensorio.Float64) })
	corrupt := write("corrupt.npy", func(p string) error { return os.WriteFile(p, []byte("\x93NUMPY\x01\x00garbage"), 0o644) })
	k, v, m := filepath.Join(dir, "keys.npy"), filepath.Join(dir, "values.npy"), filepath.Join(dir, "map.npy")
	cases := []struct {
		k, v, m, want string
	}{
		{k, v, short, "has 2 entries but there are 30 keys"},
		{k, v, outOfRange, "entry 7 = 12 is out of range; value indices must be in [0, 12)"},
		{wrongDim, v, m, "dimension 5 but values"},
		{"", dup, "", "rows 0 and 1 are identical"},
		{k, v, "", "need a map file"},
		{k, corrupt, m, "values: " + corrupt},
		{k, v, v, "map: " + v + ": dtype \"<f8\" is not int64"},
		{k, "", m, "values file is required"},
	}
	for _, c := range cases {
		if _, err := Load(c.k, c.v, c.m); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%q, %q, %q): want error containing %q, got %v", c.k, c.v, c.m, c.want, err)
		}
	}
}

func TestLoadSafetensors(t *testing.T) {
	dir := t.TempDir()
	fs, _ := Spec{N: 10, Dim: 4, Keys: 25, Untied: true, Seed: 4}.Generate()
	kt, _ := tensorio.MatrixTensor("keys", fs.Keys, tensorio.Float64)
	vt, _ := tensorio.MatrixTensor("values", fs.Values, tensorio.Float32)
	ints := make([]int64, len(fs.Map))
	for i, j := range fs.Map {
		ints[i] = int64(j)
	}
	mt := tensorio.Tensor{Name: "map", Array: tensorio.Array{DType: tensorio.Int64, Shape: []int{len(ints)}, Ints: ints}}
	p := filepath.Join(dir, "facts.safetensors")
	if err := tensorio.WriteSafetensorsFile(p, &tensorio.Safetensors{Tensors: []tensorio.Tensor{kt, vt, mt}}); err != nil {
		t.Fatal(err)
	}
	back, err := Load(p, p, p)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(back.Values, fs.Values, 1e-6) || !mat.Equal(back.Keys, fs.Keys) || back.Map[3] != fs.Map[3] {
		t.Fatal("safetensors load changed the fact set")
	}
	if _, err := Load(p+":keys", p+":values", p+":map"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ k, v, m, want string }{
		{"", p + ":emb", "", "no tensor \"emb\" (have: keys, values, map)"},
		{p, p, p + ":values", "tensor \"values\": dtype \"<f4\" is not int64"},
		{p, p + ":map", p, "tensor \"map\": dtype \"<i8\" is not a float type"},
	} {
		if _, err := Load(c.k, c.v, c.m); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%q, %q, %q): want %q, got %v", c.k, c.v, c.m, c.want, err)
		}
	}
}
