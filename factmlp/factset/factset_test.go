package factset

import (
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

func TestSphericalRowsAreUnitAndSeeded(t *testing.T) {
	a := Spherical(50, 16, rng.New(7))
	b := Spherical(50, 16, rng.New(7))
	c := Spherical(50, 16, rng.New(8))
	if !mat.Equal(a, b) {
		t.Fatal("same seed gave different tables")
	}
	if mat.Equal(a, c) {
		t.Fatal("different seeds gave the same table")
	}
	for i := 0; i < 50; i++ {
		if n := mat.Norm(a.RowView(i), 2); math.Abs(n-1) > 1e-12 {
			t.Fatalf("row %d has norm %v, want 1", i, n)
		}
	}
}

func TestNewTiedIsPermutation(t *testing.T) {
	fs := NewTied(Spherical(100, 8, rng.New(1)), rng.New(2))
	if err := fs.Validate(); err != nil {
		t.Fatal(err)
	}
	seen := make([]bool, 100)
	for _, j := range fs.Map {
		if seen[j] {
			t.Fatalf("value %d used twice in a tied (bijective) map", j)
		}
		seen[j] = true
	}
}

func TestNewUntiedManyToOneCoversValues(t *testing.T) {
	fs := NewUntied(Spherical(40, 8, rng.New(1)), Spherical(10, 8, rng.New(2)), rng.New(3))
	if err := fs.Validate(); err != nil {
		t.Fatal(err)
	}
	used := map[int]bool{}
	for _, j := range fs.Map {
		used[j] = true
	}
	if len(used) != 10 {
		t.Fatalf("many-to-one map uses %d of 10 values, want all", len(used))
	}
}

func TestValidateErrors(t *testing.T) {
	good := func() *FactSet { return NewTied(Spherical(5, 3, rng.New(1)), rng.New(1)) }
	cases := []struct {
		name    string
		corrupt func(fs *FactSet)
		want    string
	}{
		{"dim mismatch", func(fs *FactSet) { fs.Values = mat.NewDense(5, 4, nil); fs.Tied = false }, "dimension 3 but values have dimension 4"},
		{"short map", func(fs *FactSet) { fs.Map = fs.Map[:4] }, "map has 4 entries but there are 5 keys"},
		{"map range", func(fs *FactSet) { fs.Map[2] = 9 }, "map[2] = 9 is out of range"},
		{"nan", func(fs *FactSet) {
			fs.Keys = mat.DenseCopyOf(fs.Keys)
			fs.Keys.Set(1, 2, math.NaN())
		}, "keys row 1 column 2 is NaN"},
		{"inf", func(fs *FactSet) {
			fs.Values = mat.DenseCopyOf(fs.Values)
			fs.Values.Set(0, 0, math.Inf(1))
		}, "values row 0 column 0 is +Inf"},
		{"duplicate", func(fs *FactSet) {
			fs.Values = mat.DenseCopyOf(fs.Values)
			fs.Values.SetRow(3, fs.Values.RawRowView(1))
		}, "values rows 1 and 3 are identical"},
	}
	for _, c := range cases {
		fs := good()
		c.corrupt(fs)
		err := fs.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func TestFingerprintChangesWithMap(t *testing.T) {
	fs := NewTied(Spherical(20, 4, rng.New(1)), rng.New(1))
	a := fs.Fingerprint()
	fs.Map[0], fs.Map[1] = fs.Map[1], fs.Map[0]
	if b := fs.Fingerprint(); a == b {
		t.Fatal("fingerprint did not change when the map changed")
	}
}
