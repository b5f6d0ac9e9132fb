package hebbian

import (
	"fmt"
	"strconv"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// Metadata is the extra fact-MLP file metadata of a Hebbian MLP: the
// variant, the ridge λ, and the successor's names of the three tensors.
func Metadata(v Variant, ridge float64) map[string]string {
	if ridge == 0 {
		ridge = DefaultRidge
	}
	return map[string]string{
		"hebbian_variant": string(v),
		"hebbian_ridge":   strconv.FormatFloat(ridge, 'g', -1, 64),
		// φ(x) = (A₀x) ⊙ (A₁x), y = Wφ(x); any 1/√m feature scale is in down.
		"hebbian_tensors": "gate=A0,up=A1,down=W",
	}
}

// SaveFile saves g, built by Build with o, as a fact-MLP file (mlp.SaveFile)
// with the Hebbian metadata.
func SaveFile(path string, g *mlp.Gated, fs *factset.FactSet, o Options) error {
	if g == nil || g.Method != o.Variant.MethodName() {
		return fmt.Errorf("hebbian: the MLP was not built as variant %q", o.Variant)
	}
	return mlp.SaveFile(path, g, fs, Metadata(o.Variant, o.Ridge))
}
