// Package linalg is the float64 dense linear algebra the constructions need
// at sizes where gonum's pure-Go BLAS is the bottleneck: the Cholesky
// factorization and solve of an F×F Gram matrix (F up to 16,384) and the
// Gram matrix itself.
//
// Cholesky, SolveCholesky, SymOuter and Mul take gonum's blas64 types, so
// they drop in for lapack64.Potrf, lapack64.Potrs, mat.SymDense.SymOuterK
// (on the upper triangle of a mat.SymDense) and blas64.Gemm; MulT is a·bᵀ
// for mat.Matrix operands (the exact checks' products: keys × weights,
// outputs × values, codes × projected values); PackT and MulPacked pack a
// fixed table once for many small products against it (package geometry's
// scans, the decoder's code margins). MulT32 is the one float32 product:
// the exact check's float32 half, summed in gonum's blas32 order so that
// its report stays bit for bit what gonum gave. The
// factorization and solves are recursive, so that almost all flops
// land in one packed matrix-multiply kernel that runs on all cores. On
// amd64 the kernel is an 8×24 register tile in assembly: AVX-512 (about 57
// GFLOP per CPU-second on the EPYC machines this project runs on) or
// AVX2+FMA (about 48); gonum's factorization reaches 5–15 GFLOP/s on two
// cores. Elsewhere, or with the purego build tag, a portable Go kernel
// computes the same tiles.
//
// Results are deterministic: every output element is summed by one
// goroutine in a fixed order, whatever GOMAXPROCS is. They agree with
// gonum's to rounding (about κ·ε), not bit for bit.
package linalg
