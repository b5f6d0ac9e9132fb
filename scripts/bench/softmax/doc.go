// Package softmax measures what the GD step's softmax would cost with a
// vectorised exp (issue #14): Scalar is the row softmax of the GoMLX
// pure-Go backend's fused op (fastmath.Exp32's Cephes polynomial, called
// through a func value per element), Vector the same polynomial on 16
// AVX-512 lanes with archsimd (GOEXPERIMENT=simd, amd64). Nothing in the
// module uses it: the backend registers its softmax executor internally,
// so a faster one has to land upstream (see scripts/bench/README.md).
package softmax
