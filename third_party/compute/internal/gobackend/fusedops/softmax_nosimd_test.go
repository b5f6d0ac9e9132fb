// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
//
// factmlp patch (third_party/compute/PATCH.md).

//go:build !goexperiment.simd || !amd64

package fusedops

func hasVectorExp() bool { return false }

func vectorExp(xs, out []float32) {}
