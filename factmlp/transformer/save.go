package transformer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"

	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

// Save writes the model's weights (the Transformer's own weights and the MLP
// in its slot) as a .safetensors file with float32 tensors named after
// weightOrder and mlpOrder, plus the configuration in the metadata. Load it
// back with Load and swap MLPs with SetMLP.
func (m *Model) Save(path string) error {
	type entry struct {
		name string
		data []float32
		dims []int
	}
	var es []entry
	for _, n := range weightOrder {
		es = append(es, entry{n, *m.weights()[n], m.weightDims(n)})
	}
	data, dims := mlpTensors(m.MLP)
	for i, n := range mlpOrder {
		es = append(es, entry{n, data[i], dims[i]})
	}
	meta := map[string]string{
		"format": "factmlp-ssfr-transformer", "dim": strconv.Itoa(m.Dim),
		"facts": strconv.Itoa(m.Cfg.Task.Facts), "junk": strconv.Itoa(m.Cfg.Task.Junk),
		"min_len": strconv.Itoa(m.Cfg.Task.MinLen), "max_len": strconv.Itoa(m.Cfg.Task.MaxLen),
		"rope_base": strconv.FormatFloat(m.Cfg.RoPEBase, 'g', -1, 64), "seed": strconv.FormatUint(m.Cfg.Seed, 10),
		"residuals": strconv.FormatBool(m.Cfg.Ablation.Residuals), "trainable_vo": strconv.FormatBool(m.Cfg.Ablation.TrainableVO),
		"untied_embeddings": strconv.FormatBool(m.Cfg.Ablation.UntiedEmbeddings), "learnable_norm": strconv.FormatBool(m.Cfg.Ablation.LearnableNorm),
		"mlp_act": string(m.MLP.Act), "mlp_method": m.MLP.Method, "mlp_seed": strconv.FormatUint(m.MLP.Seed, 10),
	}
	header := map[string]any{"__metadata__": meta}
	off := 0
	for _, e := range es {
		header[e.name] = map[string]any{"dtype": "F32", "shape": e.dims, "data_offsets": []int{off, off + 4*len(e.data)}}
		off += 4 * len(e.data)
	}
	hb, err := json.Marshal(header)
	if err != nil {
		return err
	}
	for len(hb)%8 != 0 {
		hb = append(hb, ' ')
	}
	return tensorio.WriteFileAtomic(path, func(w io.Writer) error {
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], uint64(len(hb)))
		if _, err := w.Write(buf[:]); err != nil {
			return err
		}
		if _, err := w.Write(hb); err != nil {
			return err
		}
		b := make([]byte, 0, off)
		for _, e := range es {
			for _, x := range e.data {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
			}
		}
		_, err := w.Write(b)
		return err
	})
}

// Load reads a model written by Save. The MLP comes back in float64 with
// the float32 values it was saved with.
func Load(path string) (*Model, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("transformer: %w", err)
	}
	if len(raw) < 8 {
		return nil, fmt.Errorf("transformer: %s is too short to be a .safetensors file", path)
	}
	hl := binary.LittleEndian.Uint64(raw[:8])
	if hl > uint64(len(raw)-8) {
		return nil, fmt.Errorf("transformer: %s: header length %d exceeds the file", path, hl)
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimRight(raw[8:8+hl], " "), &header); err != nil {
		return nil, fmt.Errorf("transformer: %s: bad safetensors header: %w", path, err)
	}
	var meta map[string]string
	if err := json.Unmarshal(header["__metadata__"], &meta); err != nil || meta["format"] != "factmlp-ssfr-transformer" {
		return nil, fmt.Errorf("transformer: %s is not a factmlp SSFR Transformer file (metadata format %q)", path, meta["format"])
	}
	body := raw[8+hl:]
	tensorsByName := map[string][]float32{}
	shapes := map[string][]int{}
	for name, msg := range header {
		if name == "__metadata__" {
			continue
		}
		var info struct {
			DType   string `json:"dtype"`
			Shape   []int  `json:"shape"`
			Offsets []int  `json:"data_offsets"`
		}
		if err := json.Unmarshal(msg, &info); err != nil {
			return nil, fmt.Errorf("transformer: %s: tensor %s: %w", path, name, err)
		}
		if info.DType != "F32" || len(info.Offsets) != 2 || info.Offsets[0] < 0 || info.Offsets[1] > len(body) || info.Offsets[0] > info.Offsets[1] {
			return nil, fmt.Errorf("transformer: %s: tensor %s has dtype %s offsets %v; want F32 within the file", path, name, info.DType, info.Offsets)
		}
		n := 1
		for _, d := range info.Shape {
			n *= d
		}
		if 4*n != info.Offsets[1]-info.Offsets[0] {
			return nil, fmt.Errorf("transformer: %s: tensor %s has shape %v but %d bytes", path, name, info.Shape, info.Offsets[1]-info.Offsets[0])
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[info.Offsets[0]+4*i:]))
		}
		tensorsByName[name], shapes[name] = v, info.Shape
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
	var missing []string
	for _, n := range append(append([]string(nil), weightOrder...), mlpOrder...) {
		if _, ok := tensorsByName[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("transformer: %s lacks tensors %v", path, missing)
	}
	for _, n := range weightOrder {
		want := m.weightDims(n)
		if fmt.Sprint(want) != fmt.Sprint(shapes[n]) {
			return nil, fmt.Errorf("transformer: %s: tensor %s has shape %v; the config needs %v", path, n, shapes[n], want)
		}
		*m.weights()[n] = tensorsByName[n]
	}
	gs := shapes["mlp.gate"]
	if len(gs) != 2 || gs[1] != m.Dim {
		return nil, fmt.Errorf("transformer: %s: mlp.gate has shape %v; want [hidden %d]", path, gs, m.Dim)
	}
	h, d := gs[0], gs[1]
	toDense := func(name string, r, c int) (*mat.Dense, error) {
		if fmt.Sprint(shapes[name]) != fmt.Sprint([]int{r, c}) {
			return nil, fmt.Errorf("transformer: %s: %s has shape %v; want [%d %d]", path, name, shapes[name], r, c)
		}
		out := mat.NewDense(r, c, nil)
		for i, x := range tensorsByName[name] {
			out.Set(i/c, i%c, float64(x))
		}
		return out, nil
	}
	vec := func(name string, n int) ([]float64, error) {
		if fmt.Sprint(shapes[name]) != fmt.Sprint([]int{n}) {
			return nil, fmt.Errorf("transformer: %s: %s has shape %v; want [%d]", path, name, shapes[name], n)
		}
		out := make([]float64, n)
		for i, x := range tensorsByName[name] {
			out[i] = float64(x)
		}
		return out, nil
	}
	g := &mlp.Gated{Act: mlp.Activation(meta["mlp_act"]), Method: meta["mlp_method"]}
	g.Seed, _ = strconv.ParseUint(meta["mlp_seed"], 10, 64)
	if g.Gate, err = toDense("mlp.gate", h, d); err != nil {
		return nil, err
	}
	if g.Up, err = toDense("mlp.up", h, d); err != nil {
		return nil, err
	}
	if g.Down, err = toDense("mlp.down", d, h); err != nil {
		return nil, err
	}
	if g.GateBias, err = vec("mlp.gate_bias", h); err != nil {
		return nil, err
	}
	if g.UpBias, err = vec("mlp.up_bias", h); err != nil {
		return nil, err
	}
	if g.DownBias, err = vec("mlp.down_bias", d); err != nil {
		return nil, err
	}
	if err := m.SetMLP(g); err != nil {
		return nil, fmt.Errorf("transformer: %s: %w", path, err)
	}
	return m, nil
}
