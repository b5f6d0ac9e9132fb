package transformer

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

// fileFormat is the metadata "format" of a saved SSFR Transformer.
const fileFormat = "factmlp-ssfr-transformer"

// Save writes the model's weights (the Transformer's own weights and the MLP
// in its slot) as a .safetensors file (tensorio) with F32 tensors named after
// weightOrder and mlpOrder ("wq", …, "mlp.gate", …), plus the configuration in
// the metadata. Load it back with Load and swap MLPs with SetMLP.
func (m *Model) Save(path string) error {
	st := &tensorio.Safetensors{Metadata: map[string]string{
		"format": fileFormat, "dim": strconv.Itoa(m.Dim),
		"facts": strconv.Itoa(m.Cfg.Task.Facts), "junk": strconv.Itoa(m.Cfg.Task.Junk),
		"min_len": strconv.Itoa(m.Cfg.Task.MinLen), "max_len": strconv.Itoa(m.Cfg.Task.MaxLen),
		"rope_base": strconv.FormatFloat(m.Cfg.RoPEBase, 'g', -1, 64), "seed": strconv.FormatUint(m.Cfg.Seed, 10),
		"residuals": strconv.FormatBool(m.Cfg.Ablation.Residuals), "trainable_vo": strconv.FormatBool(m.Cfg.Ablation.TrainableVO),
		"untied_embeddings": strconv.FormatBool(m.Cfg.Ablation.UntiedEmbeddings), "learnable_norm": strconv.FormatBool(m.Cfg.Ablation.LearnableNorm),
		"mlp_act": string(m.MLP.Act), "mlp_method": m.MLP.Method, "mlp_seed": strconv.FormatUint(m.MLP.Seed, 10),
	}}
	add := func(name string, data []float32, dims []int) {
		f := make([]float64, len(data))
		for i, x := range data {
			f[i] = float64(x)
		}
		st.Tensors = append(st.Tensors, tensorio.Tensor{Name: name, Array: tensorio.Array{DType: tensorio.Float32, Shape: dims, Floats: f}})
	}
	for _, n := range weightOrder {
		add(n, *m.weights()[n], m.weightDims(n))
	}
	data, dims := mlpTensors(m.MLP)
	for i, n := range mlpOrder {
		add(n, data[i], dims[i])
	}
	return tensorio.WriteSafetensorsFile(path, st)
}

// Load reads a model written by Save. The MLP comes back in float64 holding
// the float32 values it was saved with.
func Load(path string) (*Model, error) {
	st, err := tensorio.ReadSafetensorsFile(path)
	if err != nil {
		return nil, fmt.Errorf("transformer: %w", err)
	}
	meta := st.Metadata
	if meta["format"] != fileFormat {
		return nil, fmt.Errorf("transformer: %s is not a factmlp SSFR Transformer file (metadata format %q, want %q)", path, meta["format"], fileFormat)
	}
	atoi := func(k string) int { x, _ := strconv.Atoi(meta[k]); return x }
	atob := func(k string) bool { x, _ := strconv.ParseBool(meta[k]); return x }
	base, _ := strconv.ParseFloat(meta["rope_base"], 64)
	seed, _ := strconv.ParseUint(meta["seed"], 10, 64)
	cfg := Config{Task: Task{Facts: atoi("facts"), Junk: atoi("junk"), MinLen: atoi("min_len"), MaxLen: atoi("max_len")},
		Ablation: Ablation{Residuals: atob("residuals"), TrainableVO: atob("trainable_vo"), UntiedEmbeddings: atob("untied_embeddings"), LearnableNorm: atob("learnable_norm")},
		RoPEBase: base, Seed: seed}
	if err := cfg.Task.Validate(); err != nil {
		return nil, fmt.Errorf("transformer: %s: %w", path, err)
	}
	m := &Model{Cfg: cfg, Dim: atoi("dim")}
	if m.Dim < 2 || m.Dim%2 != 0 || !(base > 1) {
		return nil, fmt.Errorf("transformer: %s: metadata dim %q, rope_base %q; want an even dim ≥ 2 and a base > 1", path, meta["dim"], meta["rope_base"])
	}
	get := func(name string, dims []int) ([]float64, error) {
		t, ok := st.Get(name)
		if !ok {
			return nil, fmt.Errorf("transformer: %s lacks tensor %q (has %v)", path, name, st.Names())
		}
		if t.DType != tensorio.Float32 && t.DType != tensorio.Float64 {
			return nil, fmt.Errorf("transformer: %s: tensor %q is %s; want F32", path, name, t.DType)
		}
		if dims != nil && !slices.Equal(t.Shape, dims) {
			return nil, fmt.Errorf("transformer: %s: tensor %q has shape %v; the config needs %v", path, name, t.Shape, dims)
		}
		return t.Floats, nil
	}
	for _, n := range weightOrder {
		f, err := get(n, m.weightDims(n))
		if err != nil {
			return nil, err
		}
		w := make([]float32, len(f))
		for i, x := range f {
			w[i] = float32(x)
		}
		*m.weights()[n] = w
	}
	gt, ok := st.Get("mlp.gate")
	if !ok || len(gt.Shape) != 2 || gt.Shape[1] != m.Dim {
		return nil, fmt.Errorf("transformer: %s: mlp.gate missing or not hidden×%d", path, m.Dim)
	}
	h, d := gt.Shape[0], m.Dim
	g := &mlp.Gated{Act: mlp.Activation(meta["mlp_act"]), Method: meta["mlp_method"]}
	g.Seed, _ = strconv.ParseUint(meta["mlp_seed"], 10, 64)
	shapes := [][]int{{h, d}, {h, d}, {d, h}, {h}, {h}, {d}}
	vals := make([][]float64, len(mlpOrder))
	for i, n := range mlpOrder {
		if vals[i], err = get(n, shapes[i]); err != nil {
			return nil, err
		}
	}
	g.Gate, g.Up, g.Down = mat.NewDense(h, d, vals[0]), mat.NewDense(h, d, vals[1]), mat.NewDense(d, h, vals[2])
	g.GateBias, g.UpBias, g.DownBias = vals[3], vals[4], vals[5]
	if err := m.SetMLP(g); err != nil {
		return nil, fmt.Errorf("transformer: %s: %w", path, err)
	}
	return m, nil
}
