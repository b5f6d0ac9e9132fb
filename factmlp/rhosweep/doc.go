// Package rhosweep measures the decodability ρ(V) of generated value tables
// while one family parameter (κ, β, spread, clusters, size, dimension) or the
// whitening strength α is swept, over several seeds.
//
// It is the experiment driver behind notebook 01's anisotropy and whitening
// figures; the mathematics (ρ, whitening) stays in package geometry.
package rhosweep
