// Package backend picks the GoMLX backend factmlp computes on and says which
// one it is, so a notebook or the CLI can show whether the pure-Go backend
// runs with SIMD kernels or an XLA plugin is in use.
//
// The default is GoMLX's pure-Go backend; set GOMLX_BACKEND (for example
// "xla:cpu" or "xla:cuda") to choose another registered backend.
package backend
