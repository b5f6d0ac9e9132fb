package transformer

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// Ablation switches off one of the paper's architectural constraints. The
// zero value is the constrained model of paper §6.3.
type Ablation struct {
	Residuals        bool // add the attention and MLP residual connections
	TrainableVO      bool // W_v and W_o train (initialised to I)
	UntiedEmbeddings bool // input embedding and output head are separate copies, both trainable
	LearnableNorm    bool // the pre-MLP RMSNorm scale is a learnable per-dimension vector
}

// Name is a short label for tables ("constrained" for the zero value).
func (a Ablation) Name() string {
	switch {
	case a == Ablation{}:
		return "constrained"
	case a == Ablation{Residuals: true}:
		return "residuals on"
	case a == Ablation{TrainableVO: true}:
		return "V/O trainable"
	case a == Ablation{UntiedEmbeddings: true}:
		return "embeddings untied+trainable"
	case a == Ablation{LearnableNorm: true}:
		return "RMSNorm learnable"
	}
	return fmt.Sprintf("%+v", a)
}

// Ablations lists the constrained model and each constraint switched off alone.
func Ablations() []Ablation {
	return []Ablation{{}, {Residuals: true}, {TrainableVO: true}, {UntiedEmbeddings: true}, {LearnableNorm: true}}
}

// Config is the model's shape and initialisation.
type Config struct {
	Task     Task
	Ablation Ablation
	// RoPEBase is the rotary base; 0 means 10000. The successor code uses
	// 10000^{d/1024} (≈1.78 at d = 64), where every frequency turns by more
	// than half a radian per position; measured at F = 256, d = 64, hidden
	// 512, 600 steps: ≈50% recall with that base versus 99.3% with 10000
	// (4 junk tokens; 49% vs 98.4% with 8).
	RoPEBase float64
	// Seed draws W_q, W_k and the junk/query embeddings.
	Seed uint64
}

// Model holds the Transformer's weights in float32, row-major. Matrices act on
// column vectors: q = Wq·x.
type Model struct {
	Cfg Config
	Dim int
	// Attention.
	Wq, Wk, Wv, Wo []float32 // d×d each
	// EmbIn is the (Vocab+1)×d input table (the last row, Pad, is zero);
	// EmbOut the Vocab×d output head. They hold the same values unless
	// Ablation.UntiedEmbeddings let them drift apart in training.
	EmbIn, EmbOut []float32
	// NormScale is the pre-MLP RMSNorm scale: d entries, all equal to the
	// mean row RMS of the fact embeddings (1/√d for unit rows).
	NormScale []float32
	// MLP is the fact MLP in the MLP slot (frozen; swap it with SetMLP).
	MLP *mlp.Gated
}

// New builds the model for a tied fact set fs (fact tokens = fs.Keys rows,
// which are also the values) with the fact MLP g in the MLP slot.
func New(cfg Config, fs *factset.FactSet, g *mlp.Gated) (*Model, error) {
	if err := cfg.Task.Validate(); err != nil {
		return nil, err
	}
	if err := checkTied(fs); err != nil {
		return nil, err
	}
	if fs.NumFacts() != cfg.Task.Facts {
		return nil, fmt.Errorf("transformer: the fact set has %d facts but the task has %d", fs.NumFacts(), cfg.Task.Facts)
	}
	d := fs.Dim()
	if d%2 != 0 {
		return nil, fmt.Errorf("transformer: RoPE needs an even dimension, got d = %d", d)
	}
	if cfg.RoPEBase == 0 {
		cfg.RoPEBase = 10000
	}
	if cfg.RoPEBase <= 1 {
		return nil, fmt.Errorf("transformer: RoPE base must be > 1, got %g", cfg.RoPEBase)
	}
	m := &Model{Cfg: cfg, Dim: d}
	if err := m.SetMLP(g); err != nil {
		return nil, err
	}
	V := cfg.Task.Vocab()
	emb := make([]float32, (V+1)*d)
	var rms float64
	for i := 0; i < fs.NumFacts(); i++ {
		var s float64
		for j, x := range fs.Keys.RawRowView(i) {
			emb[i*d+j] = float32(x)
			s += x * x
		}
		rms += math.Sqrt(s / float64(d))
	}
	rms /= float64(fs.NumFacts())
	r := rng.Derive(cfg.Seed, "transformer/junk-embeddings")
	for i := fs.NumFacts(); i < V; i++ {
		row := emb[i*d : (i+1)*d]
		var s float64
		for j := range row {
			x := r.NormFloat64()
			row[j] = float32(x)
			s += x * x
		}
		s = 1 / math.Sqrt(s)
		for j := range row {
			row[j] = float32(float64(row[j]) * s)
		}
	}
	m.EmbIn = emb
	m.EmbOut = append([]float32(nil), emb[:V*d]...)
	m.NormScale = make([]float32, d)
	for j := range m.NormScale {
		m.NormScale[j] = float32(rms)
	}
	m.Wv, m.Wo = identity(d), identity(d)
	// W_q, W_k: N(0, 1/d) like a default linear layer.
	r = rng.Derive(cfg.Seed, "transformer/qk-init")
	m.Wq, m.Wk = make([]float32, d*d), make([]float32, d*d)
	s := 1 / math.Sqrt(float64(d))
	for i := range m.Wq {
		m.Wq[i] = float32(r.NormFloat64() * s)
		m.Wk[i] = float32(r.NormFloat64() * s)
	}
	return m, nil
}

func identity(d int) []float32 {
	w := make([]float32, d*d)
	for i := 0; i < d; i++ {
		w[i*d+i] = 1
	}
	return w
}

func checkTied(fs *factset.FactSet) error {
	if err := fs.Validate(); err != nil {
		return err
	}
	if fs.NumValues() != fs.NumFacts() || !(fs.Tied || fs.Keys == fs.Values) {
		return fmt.Errorf("transformer: SSFR needs a tied fact set (keys and values the same table, map a permutation); got %d keys, %d values, tied=%v", fs.NumFacts(), fs.NumValues(), fs.Tied)
	}
	return nil
}

// SetMLP puts g in the MLP slot (the swap: nothing else changes).
func (m *Model) SetMLP(g *mlp.Gated) error {
	if g == nil {
		return fmt.Errorf("transformer: the fact MLP is nil")
	}
	if err := g.Check(); err != nil {
		return err
	}
	if m.Dim != 0 && g.Dim() != m.Dim {
		return fmt.Errorf("transformer: the MLP has dimension %d but the model has %d", g.Dim(), m.Dim)
	}
	m.MLP = g
	return nil
}

// TrainableNames lists the weights the ablation trains (always wq, wk).
func (a Ablation) TrainableNames() []string {
	n := []string{"wq", "wk"}
	if a.TrainableVO {
		n = append(n, "wv", "wo")
	}
	if a.UntiedEmbeddings {
		n = append(n, "emb_in", "emb_out")
	}
	if a.LearnableNorm {
		n = append(n, "norm_scale")
	}
	return n
}

// weights returns the model's own (non-MLP) weights by name.
func (m *Model) weights() map[string]*[]float32 {
	return map[string]*[]float32{"wq": &m.Wq, "wk": &m.Wk, "wv": &m.Wv, "wo": &m.Wo,
		"emb_in": &m.EmbIn, "emb_out": &m.EmbOut, "norm_scale": &m.NormScale}
}

// weightOrder is the fixed order of the model weights in graphs and files.
var weightOrder = []string{"wq", "wk", "wv", "wo", "emb_in", "emb_out", "norm_scale"}

func (m *Model) weightDims(name string) []int {
	d, V := m.Dim, m.Cfg.Task.Vocab()
	switch name {
	case "emb_in":
		return []int{V + 1, d}
	case "emb_out":
		return []int{V, d}
	case "norm_scale":
		return []int{d}
	}
	return []int{d, d}
}

// Params counts the Transformer's own weights (not the MLP) and how many train.
func (m *Model) Params() (total, trainable int) {
	tr := map[string]bool{}
	for _, n := range m.Cfg.Ablation.TrainableNames() {
		tr[n] = true
	}
	for _, n := range weightOrder {
		k := len(*m.weights()[n])
		total += k
		if tr[n] {
			trainable += k
		}
	}
	return
}

// FactSet returns the fact set the model's MLP stores: keys = values = the
// fact-token embeddings, and the map decoded from the MLP (argmax over fact
// tokens of ⟨MLP(e_k), e_j⟩), so a loaded model can be evaluated without
// knowing the map it was trained on.
func (m *Model) FactSet() *factset.FactSet {
	F, d := m.Cfg.Task.Facts, m.Dim
	E := gomlxtrain.Dense64(m.EmbIn[:F*d], F, d)
	var S mat.Dense
	S.Mul(m.MLP.Forward(E), E.T())
	mp := make([]int, F)
	for i := range mp {
		row := S.RawRowView(i)
		for j := range row {
			if row[j] > row[mp[i]] {
				mp[i] = j
			}
		}
	}
	return &factset.FactSet{Keys: E, Values: E, Map: mp, Tied: true}
}
