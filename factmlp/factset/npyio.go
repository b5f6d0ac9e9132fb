package factset

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

// Load reads a fact set from .npy files: keys and values as rank-2 float32 or
// float64 tables, the map as a rank-1 int64 array. A path may also name a
// .safetensors file, optionally with the tensor after a colon
// ("emb.safetensors:values"); without one, the file's only tensor is used,
// or else the tensor named after the role ("keys", "values", "map"). keysPath may be empty
// (keys = values, tied); mapPath may be empty only when there is one key per
// value (identity map). The result is validated (dimensions, finiteness,
// map range, distinct values) and errors name the offending file.
func Load(keysPath, valuesPath, mapPath string) (*FactSet, error) {
	if valuesPath == "" {
		return nil, fmt.Errorf("factset: a values file is required")
	}
	values, err := readTable(valuesPath, "values")
	if err != nil {
		return nil, fmt.Errorf("factset: values: %w", err)
	}
	fs := &FactSet{Values: values, Keys: values, Tied: true}
	_, valuesTensor, valuesST := splitSafetensors(valuesPath)
	sameTable := keysPath == valuesPath && !(valuesST && valuesTensor == "") // role-named tensors differ
	if keysPath != "" && !sameTable {
		keys, err := readTable(keysPath, "keys")
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
		m, err := readIndex(mapPath)
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

// splitSafetensors splits "file.safetensors:name" into the file and tensor
// name; ok is false for paths that are not .safetensors files.
func splitSafetensors(path string) (file, name string, ok bool) {
	if strings.HasSuffix(path, ".safetensors") {
		return path, "", true
	}
	if i := strings.LastIndex(path, ".safetensors:"); i >= 0 {
		return path[:i+len(".safetensors")], path[i+len(".safetensors:"):], true
	}
	return path, "", false
}

// safetensor opens the tensor of a .safetensors path for a role.
func safetensor(file, name, role string) (*tensorio.Tensor, error) {
	st, err := tensorio.ReadSafetensorsFile(file)
	if err != nil {
		return nil, err
	}
	if name == "" {
		if len(st.Tensors) == 1 {
			return &st.Tensors[0], nil
		}
		name = role
	}
	t, ok := st.Get(name)
	if !ok {
		return nil, fmt.Errorf("%s: no tensor %q (have: %s); name one as %s:NAME", file, name, strings.Join(st.Names(), ", "), file)
	}
	return t, nil
}

// readTable reads an embedding table from .npy or .safetensors.
func readTable(path, role string) (*mat.Dense, error) {
	file, name, ok := splitSafetensors(path)
	if !ok {
		return tensorio.ReadMatrix(path)
	}
	t, err := safetensor(file, name, role)
	if err != nil {
		return nil, err
	}
	m, err := t.Matrix()
	if err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %w", file, t.Name, err)
	}
	return m, nil
}

// readIndex reads a fact map from .npy or .safetensors.
func readIndex(path string) ([]int, error) {
	file, name, ok := splitSafetensors(path)
	if !ok {
		return tensorio.ReadIndex(path)
	}
	t, err := safetensor(file, name, "map")
	if err != nil {
		return nil, err
	}
	idx, err := t.Index()
	if err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %w", file, t.Name, err)
	}
	return idx, nil
}
