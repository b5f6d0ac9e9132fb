package factset

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

// Load reads a fact set from .npy files: keys and values as rank-2 float32 or
// float64 tables, the map as a rank-1 int64 array. keysPath may be empty
// (keys = values, tied); mapPath may be empty only when there is one key per
// value (identity map). The result is validated (dimensions, finiteness,
// map range, distinct values) and errors name the offending file.
func Load(keysPath, valuesPath, mapPath string) (*FactSet, error) {
	if valuesPath == "" {
		return nil, fmt.Errorf("factset: a values file is required")
	}
	values, err := tensorio.ReadMatrix(valuesPath)
	if err != nil {
		return nil, fmt.Errorf("factset: values: %w", err)
	}
	fs := &FactSet{Values: values, Keys: values, Tied: true}
	if keysPath != "" && keysPath != valuesPath {
		keys, err := tensorio.ReadMatrix(keysPath)
		if err != nil {
			return nil, fmt.Errorf("factset: keys: %w", err)
		}
		fs.Keys, fs.Tied = keys, false
	}
	nk, dk := fs.Keys.Dims()
	nv, dv := values.Dims()
	if dk != dv {
		return nil, fmt.Errorf("factset: keys %s have dimension %d but values %s have dimension %d; they must match", keysPath, dk, valuesPath, dv)
	}
	if mapPath == "" {
		if nk != nv {
			return nil, fmt.Errorf("factset: %d keys and %d values need a map file (int64 .npy with one value index per key)", nk, nv)
		}
		fs.Map = make([]int, nk)
		for i := range fs.Map {
			fs.Map[i] = i
		}
	} else {
		m, err := tensorio.ReadIndex(mapPath)
		if err != nil {
			return nil, fmt.Errorf("factset: map: %w", err)
		}
		if len(m) != nk {
			return nil, fmt.Errorf("factset: map %s has %d entries but there are %d keys; it needs one value index per key", mapPath, len(m), nk)
		}
		for i, j := range m {
			if j < 0 || j >= nv {
				return nil, fmt.Errorf("factset: map %s entry %d = %d is out of range; value indices must be in [0, %d)", mapPath, i, j, nv)
			}
		}
		fs.Map = m
	}
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	return fs, nil
}

// Save writes keys.npy, values.npy and map.npy (float64 tables, int64 map)
// into dir, creating it if needed. Each file is written atomically.
func (fs *FactSet) Save(dir string) error {
	if err := fs.Validate(); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("factset: %w", err)
	}
	for _, f := range []struct {
		name string
		m    *mat.Dense
	}{{"keys.npy", fs.Keys}, {"values.npy", fs.Values}} {
		if err := tensorio.WriteMatrix(filepath.Join(dir, f.name), f.m, tensorio.Float64); err != nil {
			return fmt.Errorf("factset: %w", err)
		}
	}
	if err := tensorio.WriteIndex(filepath.Join(dir, "map.npy"), fs.Map); err != nil {
		return fmt.Errorf("factset: %w", err)
	}
	return nil
}
