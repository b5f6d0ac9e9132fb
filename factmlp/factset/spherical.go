package factset

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Spherical draws n rows uniformly on the unit sphere in ℝ^d (Gaussian rows,
// normalised): the isotropic family of the paper.
func Spherical(n, d int, r *rand.Rand) *mat.Dense {
	m := Gaussian(n, d, r)
	NormalizeRows(m)
	return m
}

// Gaussian draws n rows with i.i.d. N(0, 1/d) entries, so rows have norm ≈ 1.
func Gaussian(n, d int, r *rand.Rand) *mat.Dense {
	data := make([]float64, n*d)
	s := 1 / math.Sqrt(float64(d))
	for i := range data {
		data[i] = r.NormFloat64() * s
	}
	return mat.NewDense(n, d, data)
}

// NormalizeRows scales every non-zero row of m to unit Euclidean norm.
func NormalizeRows(m *mat.Dense) {
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		row := m.RawRowView(i)
		var s float64
		for _, x := range row {
			s += x * x
		}
		if s == 0 {
			continue
		}
		s = 1 / math.Sqrt(s)
		for j := range row {
			row[j] *= s
		}
	}
}
