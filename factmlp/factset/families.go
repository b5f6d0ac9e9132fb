package factset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// Embedding families (paper.md §5.2).
const (
	FamilySpherical   = "spherical"   // Gaussian rows, L2-normalised
	FamilyGaussian    = "gaussian"    // i.i.d. N(0, 1/d) entries, not normalised
	FamilyConditioned = "conditioned" // spherical, singular values linear from 1 to 1/κ
	FamilySpiked      = "spiked"      // spherical plus a rank-one spike β, renormalised
	FamilyClustered   = "clustered"   // unit vectors scattered around random centres
	FamilyMidpoints   = "midpoints"   // triples a, b at a fixed angle and their normalised midpoint
)

// Families lists the embedding families Spec accepts.
var Families = []string{FamilySpherical, FamilyGaussian, FamilyConditioned, FamilySpiked, FamilyClustered, FamilyMidpoints}

// Condition returns a copy of e with its singular values replaced by
// linspace(1, 1/κ, r) (r = min(rows, cols)) rescaled so the Frobenius norm of
// e is kept: the anisotropic family of the successor code
// (transforms.condition_embeddings). Rows are not renormalised. κ must be ≥ 1.
func Condition(e *mat.Dense, kappa float64) (*mat.Dense, error) {
	if !(kappa >= 1) || math.IsInf(kappa, 0) {
		return nil, fmt.Errorf("factset: condition number κ = %v; it must be a finite number ≥ 1", kappa)
	}
	var svd mat.SVD
	if !svd.Factorize(e, mat.SVDThin) {
		return nil, fmt.Errorf("factset: SVD of the embedding table did not converge")
	}
	s := svd.Values(nil)
	r := len(s)
	var fro float64
	for _, x := range s {
		fro += x * x
	}
	ns := make([]float64, r)
	var nfro float64
	for k := range ns {
		if r == 1 {
			ns[k] = 1
		} else {
			ns[k] = 1 + (1/kappa-1)*float64(k)/float64(r-1)
		}
		nfro += ns[k] * ns[k]
	}
	scale := math.Sqrt(fro / nfro)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	for j := 0; j < r; j++ { // u ← u diag(ns·scale)
		for i := 0; i < u.RawMatrix().Rows; i++ {
			u.Set(i, j, u.At(i, j)*ns[j]*scale)
		}
	}
	var out mat.Dense
	out.Mul(&u, v.T())
	return &out, nil
}

// RandomUnit draws a uniformly random unit vector in ℝ^d.
func RandomUnit(d int, r *rand.Rand) []float64 {
	return Spherical(1, d, r).RawRowView(0)
}

// Spike returns a copy of e with every row replaced by
// normalize(e + β⟨e, u⟩u) for the unit vector u: the spiked family of the
// successor code (transforms.spike_embeddings). β must be ≥ 0.
func Spike(e *mat.Dense, beta float64, u []float64) (*mat.Dense, error) {
	n, d := e.Dims()
	if !(beta >= 0) || math.IsInf(beta, 0) {
		return nil, fmt.Errorf("factset: spike strength β = %v; it must be a finite number ≥ 0", beta)
	}
	if len(u) != d {
		return nil, fmt.Errorf("factset: spike direction has dimension %d, embeddings have %d", len(u), d)
	}
	out := mat.DenseCopyOf(e)
	for i := 0; i < n; i++ {
		row := out.RawRowView(i)
		var p float64
		for k := range row {
			p += row[k] * u[k]
		}
		for k := range row {
			row[k] += beta * p * u[k]
		}
	}
	NormalizeRows(out)
	return out, nil
}

// Clustered draws n unit vectors in `clusters` groups: centre c drawn
// uniformly on the sphere, member normalize(c + spread·g) with g ~ N(0, I/d).
// Row i belongs to cluster i mod clusters. Small spread makes values within a
// cluster nearly parallel (small ρ).
func Clustered(n, d, clusters int, spread float64, r *rand.Rand) (*mat.Dense, error) {
	if clusters < 1 || clusters > n {
		return nil, fmt.Errorf("factset: %d clusters for %d values; it must be between 1 and the number of values", clusters, n)
	}
	if !(spread > 0) || math.IsInf(spread, 0) {
		return nil, fmt.Errorf("factset: cluster spread %v; it must be a finite number > 0", spread)
	}
	centres := Spherical(clusters, d, r)
	out := Gaussian(n, d, r)
	for i := 0; i < n; i++ {
		row := out.RawRowView(i)
		c := centres.RawRowView(i % clusters)
		for k := range row {
			row[k] = c[k] + spread*row[k]
		}
	}
	NormalizeRows(out)
	return out, nil
}

// Midpoints draws n unit vectors in triples: a uniformly random a, a unit
// b at exactly `angle` radians from a (in a random direction), and their
// normalised midpoint m = (a+b)/‖a+b‖; the last n mod 3 rows are plain
// spherical. The midpoint is a vertex of the set, but barely: its
// separator is m itself and ρ_m = sin(angle/4) (the chords m−a and m−b
// meet m's tangent plane at angle/4), so ρ(V) ≤ sin(angle/4) while the
// table stays as spread out in ℝ^d as a spherical one (unlike a spike,
// which crowds every value towards one direction). angle must be in (0, π)
// and d ≥ 2.
func Midpoints(n, d int, angle float64, r *rand.Rand) (*mat.Dense, error) {
	if !(angle > 0 && angle < math.Pi) {
		return nil, fmt.Errorf("factset: midpoint angle %v rad; it must be in (0, π), i.e. (0°, 180°)", angle)
	}
	if d < 2 {
		return nil, fmt.Errorf("factset: midpoints need dimension ≥ 2 (a second direction for b), got %d", d)
	}
	out := Spherical(n, d, r)
	for t := 0; t+2 < n; t += 3 {
		a, w := out.RawRowView(t), out.RawRowView(t+1)
		var p float64 // w ← unit part of w orthogonal to a
		for k := range w {
			p += w[k] * a[k]
		}
		for k := range w {
			w[k] -= p * a[k]
		}
		nw := norm(w)
		if nw < 1e-12 { // w ∥ a: probability zero; redraw once
			copy(w, RandomUnit(d, r))
			t -= 3
			continue
		}
		c, s := math.Cos(angle), math.Sin(angle)
		m := out.RawRowView(t + 2)
		for k := range w {
			w[k] = c*a[k] + s*w[k]/nw // b
			m[k] = a[k] + w[k]
		}
		nm := norm(m)
		for k := range m {
			m[k] /= nm
		}
	}
	return out, nil
}

func norm(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// Spec describes a generated fact set. The zero values of the optional
// fields pick defaults (see Normalize).
type Spec struct {
	Family   string  // one of Families (default spherical)
	N        int     // number of values |V|
	Dim      int     // embedding dimension d
	Keys     int     // number of keys |K| (default N); Keys > N makes a many-to-one map
	Kappa    float64 // condition number for "conditioned" (default 10)
	Beta     float64 // spike strength for "spiked" (default 1.5, as the successor's capacity runs)
	Clusters int     // clusters for "clustered" (default max(2, N/16))
	Spread   float64 // within-cluster spread for "clustered" (default 0.5)
	Angle    float64 `json:",omitempty"` // angle in degrees between a and b for "midpoints" (default 90; omitted from JSON when 0, so cache keys of other families are unchanged)
	Untied   bool    // keys drawn separately from values (else keys = values, permutation map)
	Seed     uint64
}

// Normalize fills in defaults and checks the spec, returning an error that
// says which field is wrong and what is accepted.
func (s Spec) Normalize() (Spec, error) {
	if s.Family == "" {
		s.Family = FamilySpherical
	}
	s.Family = strings.ToLower(s.Family)
	known := false
	for _, f := range Families {
		known = known || f == s.Family
	}
	if !known {
		return s, fmt.Errorf("factset: unknown family %q; accepted: %s", s.Family, strings.Join(Families, ", "))
	}
	if s.N < 2 {
		return s, fmt.Errorf("factset: number of values n = %d; it must be at least 2", s.N)
	}
	if s.Dim < 1 {
		return s, fmt.Errorf("factset: dimension %d; it must be at least 1", s.Dim)
	}
	if s.Keys == 0 {
		s.Keys = s.N
	}
	if s.Keys < 1 {
		return s, fmt.Errorf("factset: number of keys %d; it must be at least 1", s.Keys)
	}
	if !s.Untied && s.Keys != s.N {
		return s, fmt.Errorf("factset: a tied fact set has one key per value (keys = values = %d), got %d keys; make it untied for a many-to-one map", s.N, s.Keys)
	}
	if s.Kappa == 0 {
		s.Kappa = 10
	}
	if s.Family == FamilyConditioned && !(s.Kappa >= 1) {
		return s, fmt.Errorf("factset: condition number κ = %v; it must be ≥ 1", s.Kappa)
	}
	if s.Beta == 0 && s.Family == FamilySpiked {
		s.Beta = 1.5
	}
	if s.Beta < 0 {
		return s, fmt.Errorf("factset: spike strength β = %v; it must be ≥ 0", s.Beta)
	}
	if s.Clusters == 0 {
		s.Clusters = max(2, s.N/16)
	}
	if s.Spread == 0 {
		s.Spread = 0.5
	}
	if s.Angle == 0 && s.Family == FamilyMidpoints {
		s.Angle = 90
	}
	if s.Family == FamilyMidpoints && !(s.Angle > 0 && s.Angle < 180) {
		return s, fmt.Errorf("factset: midpoint angle %v°; it must be in (0°, 180°)", s.Angle)
	}
	if s.Family == FamilyClustered && (s.Clusters < 1 || s.Clusters > s.N || !(s.Spread > 0)) {
		return s, fmt.Errorf("factset: clustered family needs 1 ≤ clusters ≤ n and spread > 0, got clusters = %d, spread = %v", s.Clusters, s.Spread)
	}
	return s, nil
}

// String describes the spec in one line.
func (s Spec) String() string {
	out := fmt.Sprintf("%s n=%d d=%d", s.Family, s.N, s.Dim)
	switch s.Family {
	case FamilyConditioned:
		out += fmt.Sprintf(" κ=%g", s.Kappa)
	case FamilySpiked:
		out += fmt.Sprintf(" β=%g", s.Beta)
	case FamilyClustered:
		out += fmt.Sprintf(" clusters=%d spread=%g", s.Clusters, s.Spread)
	case FamilyMidpoints:
		out += fmt.Sprintf(" angle=%g°", s.Angle)
	}
	if s.Untied {
		out += fmt.Sprintf(" untied keys=%d", s.Keys)
	} else {
		out += " tied"
	}
	return out + fmt.Sprintf(" seed=%d", s.Seed)
}

// Table draws an n×Dim table from the spec's family using the named
// sub-stream of the seed (so values and keys are independent).
func (s Spec) Table(n int, stream string) (*mat.Dense, error) {
	s, err := s.Normalize()
	if err != nil {
		return nil, err
	}
	r := rng.Derive(s.Seed, stream)
	switch s.Family {
	case FamilySpherical:
		return Spherical(n, s.Dim, r), nil
	case FamilyGaussian:
		return Gaussian(n, s.Dim, r), nil
	case FamilyConditioned:
		return Condition(Spherical(n, s.Dim, r), s.Kappa)
	case FamilySpiked:
		e := Spherical(n, s.Dim, r)
		u := RandomUnit(s.Dim, rng.Derive(s.Seed, "spike"))
		return Spike(e, s.Beta, u)
	case FamilyClustered:
		return Clustered(n, s.Dim, min(s.Clusters, n), s.Spread, r)
	case FamilyMidpoints:
		return Midpoints(n, s.Dim, s.Angle*math.Pi/180, r)
	}
	return nil, fmt.Errorf("factset: unknown family %q", s.Family)
}

// Generate draws the fact set: values from the family (stream "values");
// tied sets use the values as keys with a random permutation map; untied
// sets draw Keys keys from the same family (stream "keys") and a bijective
// (Keys = N) or many-to-one (Keys > N, every value used) map.
func (s Spec) Generate() (*FactSet, error) {
	s, err := s.Normalize()
	if err != nil {
		return nil, err
	}
	values, err := s.Table(s.N, "values")
	if err != nil {
		return nil, err
	}
	var fs *FactSet
	if !s.Untied {
		fs = NewTied(values, rng.Derive(s.Seed, "map"))
	} else {
		keys, err := s.Table(s.Keys, "keys")
		if err != nil {
			return nil, err
		}
		fs = NewUntied(keys, values, rng.Derive(s.Seed, "map"))
	}
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	return fs, nil
}
