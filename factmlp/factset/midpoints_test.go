package factset_test

import (
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// Every triple is (a, b, normalize(a+b)) with ∠(a, b) = θ, and a
// midpoint's decodability is at most sin(θ/4), equal to it while the other
// values are farther (θ ≤ 90° here; at 130° other rows bind slightly).
func TestMidpointsDecodabilityIsSinQuarterAngle(t *testing.T) {
	const n, d = 61, 24 // 20 triples and one spherical row
	for _, deg := range []float64{60, 90, 130} {
		theta := deg * math.Pi / 180
		V, err := factset.Midpoints(n, d, theta, rng.New(7))
		if err != nil {
			t.Fatal(err)
		}
		var mids []int
		for tr := 0; tr+2 < n; tr += 3 {
			a, b, m := V.RowView(tr), V.RowView(tr+1), V.RowView(tr+2)
			if got := math.Acos(mat.Dot(a, b)); math.Abs(got-theta) > 1e-9 {
				t.Fatalf("θ=%g°: triple %d has angle %g rad, want %g", deg, tr/3, got, theta)
			}
			var s mat.VecDense
			s.AddVec(a, b)
			s.ScaleVec(1/mat.Norm(&s, 2), &s)
			var diff mat.VecDense
			diff.SubVec(&s, m)
			if mat.Norm(&diff, 2) > 1e-12 || math.Abs(mat.Norm(m, 2)-1) > 1e-12 {
				t.Fatalf("θ=%g°: row %d is not the normalised midpoint of its triple", deg, tr+2)
			}
			mids = append(mids, tr+2)
		}
		res, err := geometry.Decodability(V, geometry.Options{Anchors: mids})
		if err != nil {
			t.Fatal(err)
		}
		want := math.Sin(theta / 4)
		for _, i := range mids {
			if res.PerValue[i] > want+1e-6 || (deg <= 90 && res.PerValue[i] < want-1e-4) || res.PerValue[i] < 0.95*want {
				t.Fatalf("θ=%g°: ρ of midpoint %d = %.5f, want sin(θ/4) = %.5f", deg, i, res.PerValue[i], want)
			}
		}
	}
}

func TestMidpointsSpecAndErrors(t *testing.T) {
	spec := factset.Spec{Family: "midpoints", N: 30, Dim: 8, Seed: 3}
	s, err := spec.Normalize()
	if err != nil || s.Angle != 90 || !strings.Contains(s.String(), "angle=90°") {
		t.Fatalf("default angle: %+v %v", s, err)
	}
	a, _ := spec.Generate()
	b, _ := spec.Generate()
	if !mat.Equal(a.Values, b.Values) {
		t.Fatal("same seed, different midpoint tables")
	}
	for _, bad := range []float64{-5, 180, 400} {
		spec.Angle = bad
		if _, err := spec.Generate(); err == nil || !strings.Contains(err.Error(), "angle") {
			t.Fatalf("angle %g°: err %v; want an error naming the angle", bad, err)
		}
	}
	if _, err := factset.Midpoints(9, 1, 1, rng.New(1)); err == nil {
		t.Fatal("d = 1 was accepted")
	}
}
