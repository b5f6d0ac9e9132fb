package mlp

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

// FileFormat is the "format" metadata of fact-MLP files.
const FileFormat = "factmlp.gated-mlp.v1"

// Fact-MLP files are .safetensors files with tensors "gate" (h×d), "up"
// (h×d) and "down" (d×h) — the shapes of PyTorch's nn.Linear weights, so
// y = down @ (σ(gate @ x) * (up @ x)) — plus "gate_bias", "up_bias" (h) and
// "down_bias" (d) when present, all float64 so a save/load round trip is
// bit-exact. String metadata: format, activation, method, seed, dim,
// hidden, code_dim, seeded (comma list), and, when saved with its fact set,
// facts, values and factset_fingerprint (factset.Fingerprint).

// FileMeta is the metadata of a fact-MLP file.
type FileMeta struct {
	Fingerprint string // fact-set fingerprint ("" if saved without a fact set)
	Facts       int    // |K| of that fact set (0 if unknown)
	Values      int    // |V| of that fact set (0 if unknown)
	// All is every metadata entry of the file, including extras.
	All map[string]string
}

// SaveFile atomically writes g to path as a fact-MLP .safetensors file. fs,
// if not nil, is the fact set g stores: its fingerprint and sizes are
// recorded so LoadFileFor can refuse the wrong facts. extra adds metadata
// entries (they must not override the standard keys).
func SaveFile(path string, g *Gated, fs *factset.FactSet, extra map[string]string) error {
	if err := g.Check(); err != nil {
		return err
	}
	meta := map[string]string{
		"format":     FileFormat,
		"activation": string(g.Act),
		"method":     g.Method,
		"seed":       strconv.FormatUint(g.Seed, 10),
		"dim":        strconv.Itoa(g.Dim()),
		"hidden":     strconv.Itoa(g.Hidden()),
		"code_dim":   strconv.Itoa(g.CodeDim),
		"seeded":     strings.Join(g.Seeded, ","),
		"dtype":      "F64",
	}
	if fs != nil {
		if fs.Dim() != g.Dim() {
			return fmt.Errorf("mlp: the MLP has dimension %d but the fact set has %d", g.Dim(), fs.Dim())
		}
		meta["factset_fingerprint"] = fs.Fingerprint()
		meta["facts"] = strconv.Itoa(fs.NumFacts())
		meta["values"] = strconv.Itoa(fs.NumValues())
	}
	for k, v := range extra {
		if _, ok := meta[k]; ok {
			return fmt.Errorf("mlp: extra metadata %q would override a standard entry", k)
		}
		meta[k] = v
	}
	var ts []tensorio.Tensor
	for _, p := range []struct {
		name string
		m    *mat.Dense
	}{{"gate", g.Gate}, {"up", g.Up}, {"down", g.Down}} {
		t, err := tensorio.MatrixTensor(p.name, p.m, tensorio.Float64)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	for _, p := range []struct {
		name string
		v    []float64
	}{{"gate_bias", g.GateBias}, {"up_bias", g.UpBias}, {"down_bias", g.DownBias}} {
		if p.v == nil {
			continue
		}
		t, err := tensorio.VectorTensor(p.name, p.v, tensorio.Float64)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	return tensorio.WriteSafetensorsFile(path, &tensorio.Safetensors{Tensors: ts, Metadata: meta})
}

// LoadFile reads and validates a fact-MLP file: the safetensors structure,
// the tensors gate/up/down and their shapes, optional biases, the metadata
// (format, activation, dims consistent with the tensors) and finiteness.
func LoadFile(path string) (*Gated, FileMeta, error) {
	s, err := tensorio.ReadSafetensorsFile(path)
	if err != nil {
		return nil, FileMeta{}, err
	}
	return fromSafetensors(path, s)
}

// ParseFile is LoadFile on the bytes of a file; name is used in errors.
func ParseFile(name string, b []byte) (*Gated, FileMeta, error) {
	s, err := tensorio.ReadSafetensors(b)
	if err != nil {
		return nil, FileMeta{}, fmt.Errorf("%s: %w", name, err)
	}
	return fromSafetensors(name, s)
}

// fromSafetensors validates the tensors and metadata of a fact-MLP file.
func fromSafetensors(path string, s *tensorio.Safetensors) (*Gated, FileMeta, error) {
	var err error
	bad := func(format string, a ...any) (*Gated, FileMeta, error) {
		return nil, FileMeta{}, fmt.Errorf("%s: not a valid fact-MLP file: %s", path, fmt.Sprintf(format, a...))
	}
	md := s.Metadata
	if f := md["format"]; f != FileFormat {
		return bad("metadata format is %q, want %q", f, FileFormat)
	}
	for _, name := range s.Names() {
		switch name {
		case "gate", "up", "down", "gate_bias", "up_bias", "down_bias":
		default:
			return bad("unexpected tensor %q; a fact-MLP file holds gate, up, down and optional gate_bias, up_bias, down_bias", name)
		}
	}
	g := &Gated{Method: md["method"], Seeded: nil}
	if g.Gate, err = s.MatrixOf("gate"); err != nil {
		return bad("%v", err)
	}
	if g.Up, err = s.MatrixOf("up"); err != nil {
		return bad("%v", err)
	}
	if g.Down, err = s.MatrixOf("down"); err != nil {
		return bad("%v", err)
	}
	h, d := g.Gate.Dims()
	if r, c := g.Up.Dims(); r != h || c != d {
		return bad("up is %d×%d but gate is %d×%d; both must be hidden×dim", r, c, h, d)
	}
	if r, c := g.Down.Dims(); r != d || c != h {
		return bad("down is %d×%d; it must be dim×hidden = %d×%d", r, c, d, h)
	}
	for _, b := range []struct {
		name string
		dst  *[]float64
		n    int
	}{{"gate_bias", &g.GateBias, h}, {"up_bias", &g.UpBias, h}, {"down_bias", &g.DownBias, d}} {
		t, ok := s.Get(b.name)
		if !ok {
			continue
		}
		if len(t.Shape) != 1 || t.Shape[0] != b.n || t.Floats == nil {
			return bad("%s has shape %v; it must be a float vector of length %d", b.name, t.Shape, b.n)
		}
		*b.dst = append([]float64(nil), t.Floats...)
	}
	act, err := ParseActivation(md["activation"])
	if err != nil {
		return bad("%v", err)
	}
	g.Act = act
	if md["seed"] != "" {
		if g.Seed, err = strconv.ParseUint(md["seed"], 10, 64); err != nil {
			return bad("seed %q is not an unsigned integer", md["seed"])
		}
	}
	for key, want := range map[string]int{"dim": d, "hidden": h} {
		if v, ok := md[key]; ok && v != strconv.Itoa(want) {
			return bad("metadata %s = %s but the tensors have %s %d", key, v, key, want)
		}
	}
	if v := md["code_dim"]; v != "" {
		if g.CodeDim, err = strconv.Atoi(v); err != nil || g.CodeDim < 0 {
			return bad("code_dim %q is not a non-negative integer", v)
		}
	}
	if v := md["seeded"]; v != "" {
		for _, name := range strings.Split(v, ",") {
			if name != "gate" && name != "up" && name != "down" {
				return bad("seeded lists %q; accepted: gate, up, down", name)
			}
			g.Seeded = append(g.Seeded, name)
		}
	}
	if err := g.Check(); err != nil {
		return bad("%v", err)
	}
	meta := FileMeta{Fingerprint: md["factset_fingerprint"], All: md}
	for key, dst := range map[string]*int{"facts": &meta.Facts, "values": &meta.Values} {
		if v := md[key]; v != "" {
			if *dst, err = strconv.Atoi(v); err != nil || *dst < 0 {
				return bad("%s %q is not a non-negative integer", key, v)
			}
		}
	}
	return g, meta, nil
}

// LoadFileFor loads a fact-MLP file and checks that it was saved for fs:
// same dimension and, when the file records one, the same fact-set
// fingerprint and sizes.
func LoadFileFor(path string, fs *factset.FactSet) (*Gated, FileMeta, error) {
	g, meta, err := LoadFile(path)
	if err != nil {
		return nil, meta, err
	}
	if g.Dim() != fs.Dim() {
		return nil, meta, fmt.Errorf("%s: the MLP has dimension %d but the fact set has dimension %d", path, g.Dim(), fs.Dim())
	}
	if meta.Fingerprint != "" {
		if fp := fs.Fingerprint(); fp != meta.Fingerprint {
			return nil, meta, fmt.Errorf("%s: the MLP was built for a different fact set (fingerprint %s, %d facts, %d values) than the one given (fingerprint %s, %d facts, %d values)",
				path, meta.Fingerprint, meta.Facts, meta.Values, fp, fs.NumFacts(), fs.NumValues())
		}
	}
	return g, meta, nil
}
