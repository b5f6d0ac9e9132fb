// Package tensorio reads and writes embedding tables, maps and weights in the
// formats other tools use: NumPy .npy (float32, float64, int64) and
// .safetensors. Reads are strict (dtype, rank, sizes, truncation) and every
// write goes to a temporary file that is renamed into place, so a crash never
// leaves a half-written file.
package tensorio
