package softmax

import "math"

// Exp32 is the backend's scalar float32 exp (Cephes expf, as in
// github.com/gomlx/compute's internal fastmath.Exp32).
func Exp32(x float32) float32 {
	const (
		log2E = 1.44269504088896341
		ln2Hi = 0.693359375
		ln2Lo = -2.12194440e-4
	)
	if x < -88.02969187150841 {
		return 0
	}
	z := float32(math.Floor(float64(x)*log2E + 0.5))
	g := x - z*ln2Hi - z*ln2Lo
	scale := math.Float32frombits(uint32(int32(z)+127) << 23)
	return scale * (poly(g)*(g*g) + g + 1)
}

func poly(g float32) float32 {
	return ((((1.9875691500e-4*g+1.3981999507e-3)*g+8.3334519073e-3)*g+4.1665795894e-2)*g+1.6666665459e-1)*g + 5.0000001201e-1
}

// Scalar writes the softmax of each length-n row of in (arguments ≤ 0
// after the max is subtracted, as in the backend) to out: max, exp and sum,
// normalise; exp goes through a func value as in the backend's fused op.
func Scalar(in, out []float32, n int, exp func(float32) float32) {
	for r := 0; r+n <= len(in); r += n {
		x, y := in[r:r+n], out[r:r+n]
		mx := float32(math.Inf(-1))
		for _, v := range x {
			mx = max(mx, v)
		}
		var s float32
		for i, v := range x {
			y[i] = exp(v - mx)
			s += y[i]
		}
		inv := 1 / s
		for i := range y {
			y[i] *= inv
		}
	}
}
