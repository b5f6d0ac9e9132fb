package transformer

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/tensorio"
)

// small builds a small tied fact set, its encdec MLP and the model.
func small(t testing.TB, ab Ablation) (*Model, *factset.FactSet) {
	t.Helper()
	F, d := 128, 64
	fs := factset.NewTied(factset.Spherical(F, d, rng.New(11)), rng.New(12))
	g := encdec(t, fs, 13)
	m, err := New(Config{Task: Task{Facts: F, Junk: 4, MinLen: 2, MaxLen: 6}, Ablation: ab, Seed: 14}, fs, g)
	if err != nil {
		t.Fatal(err)
	}
	return m, fs
}

var encdecCache sync.Map

func encdec(t testing.TB, fs *factset.FactSet, seed uint64) *mlp.Gated {
	key := fs.Fingerprint() + string(rune(seed))
	if g, ok := encdecCache.Load(key); ok {
		return g.(*mlp.Gated)
	}
	g, _, err := construction.EncDec(fs, construction.Options{Seed: seed, Slack: 2})
	if err != nil {
		t.Fatal(err)
	}
	encdecCache.Store(key, g)
	return g
}

func quickTrain(t testing.TB, m *Model, mapping []int, steps int) TrainResult {
	t.Helper()
	opt := DefaultTrainOptions()
	opt.Steps, opt.Batch, opt.StopAccuracy = steps, 128, 0
	res, err := Train(m, mapping, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Tokens after Q (V and padding) must not change the prediction at Q, and
// neither may the tokens of other sequences in the batch.
func TestQueryRowIgnoresTrailingTokens(t *testing.T) {
	m, fs := small(t, Ablation{})
	b, err := m.Cfg.Task.Sample(rng.New(3), 8, fs.Map)
	if err != nil {
		t.Fatal(err)
	}
	l1, err := Logits(m, b)
	if err != nil {
		t.Fatal(err)
	}
	b2 := b
	b2.Tokens = slices.Clone(b.Tokens)
	for i := 0; i < b.Size; i++ {
		for p := int(b.QPos[i]) + 1; p < b.SeqLen; p++ {
			b2.Tokens[i*b.SeqLen+p] = int32(i % m.Cfg.Task.Facts) // overwrite V and the padding with fact tokens
		}
	}
	l2, err := Logits(m, b2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l1 {
		if l1[i] != l2[i] {
			t.Fatalf("logit %d changed from %v to %v when only tokens after Q changed", i, l1[i], l2[i])
		}
	}
	// Changing the key must change the output (attention does read the prefix).
	b2.Tokens = slices.Clone(b.Tokens)
	for p := 0; p < int(b.QPos[0]); p++ {
		if b.Tokens[p] < int32(m.Cfg.Task.Facts) {
			b2.Tokens[p] = (b.Tokens[p] + 1) % int32(m.Cfg.Task.Facts)
		}
	}
	l3, _ := Logits(m, b2)
	if slices.Equal(l1[:m.Cfg.Task.Vocab()], l3[:m.Cfg.Task.Vocab()]) {
		t.Fatal("changing the key token did not change the logits at Q")
	}
}

func TestFrozenWeightsBitIdentical(t *testing.T) {
	for _, ab := range Ablations() {
		t.Run(ab.Name(), func(t *testing.T) {
			m, fs := small(t, ab)
			before := map[string][]float32{}
			for n, p := range m.weights() {
				before[n] = slices.Clone(*p)
			}
			mlpBefore, _ := mlpTensors(m.MLP)
			quickTrain(t, m, fs.Map, 5)
			train := map[string]bool{}
			for _, n := range ab.TrainableNames() {
				train[n] = true
			}
			for n, p := range m.weights() {
				same := slices.Equal(before[n], *p)
				if train[n] && same {
					t.Errorf("%s is trainable but did not change", n)
				}
				if !train[n] && !same {
					t.Errorf("%s is frozen but changed", n)
				}
			}
			mlpAfter, _ := mlpTensors(m.MLP)
			for i := range mlpBefore {
				if !slices.Equal(mlpBefore[i], mlpAfter[i]) {
					t.Errorf("the frozen MLP tensor %s changed", mlpOrder[i])
				}
			}
		})
	}
}

// Training reaches high recall, and a fresh MLP storing a new map on the same
// embeddings is read correctly without retraining (the swap).
func TestTrainAndSwap(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a few seconds")
	}
	m, fs := small(t, Ablation{})
	res := quickTrain(t, m, fs.Map, 300)
	if res.SeqsPerSecond <= 0 {
		t.Errorf("throughput %v not measured", res.SeqsPerSecond)
	}
	ev, err := Evaluate(m, fs.Map, 1000, 5)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Accuracy < 0.97 {
		t.Fatalf("recall %v after training; want ≥ 0.97", ev)
	}
	fs2 := factset.NewTied(fs.Keys, rng.New(99))
	g2 := encdec(t, fs2, 21)
	orig := m.MLP
	fa, err := FactAdaptive(m, g2, fs2.Map, 1000, 6)
	if err != nil {
		t.Fatal(err)
	}
	if m.MLP != orig {
		t.Fatal("FactAdaptive did not put the original MLP back")
	}
	if fa.Accuracy < 0.97 {
		t.Fatalf("fact-adaptive accuracy %v; want ≥ 0.97", fa)
	}
	// Scoring the swapped model against the old map must fail: it really reads the new MLP.
	if err := m.SetMLP(g2); err != nil {
		t.Fatal(err)
	}
	old, err := Evaluate(m, fs.Map, 1000, 7)
	if err != nil {
		t.Fatal(err)
	}
	if old.Accuracy > 0.2 {
		t.Fatalf("with the new MLP the model still answers the old map (%v)", old.Accuracy)
	}
	if math.IsNaN(fa.MeanMargin) || fa.DeliveryCos < 0.9 {
		t.Fatalf("margin %v or delivery cosine %v out of range", fa.MeanMargin, fa.DeliveryCos)
	}
}

func TestSaveLoad(t *testing.T) {
	m, fs := small(t, Ablation{LearnableNorm: true})
	quickTrain(t, m, fs.Map, 3)
	path := t.TempDir() + "/model.safetensors"
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Cfg != m.Cfg || m2.Dim != m.Dim {
		t.Fatalf("config %+v came back as %+v", m.Cfg, m2.Cfg)
	}
	for n, p := range m.weights() {
		if !slices.Equal(*p, *m2.weights()[n]) {
			t.Fatalf("%s differs after the round trip", n)
		}
	}
	b, _ := m.Cfg.Task.Sample(rng.New(1), 16, fs.Map)
	l1, _ := Logits(m, b)
	l2, err := Logits(m2, b)
	if err != nil || !slices.Equal(l1, l2) {
		t.Fatalf("reloaded model gives different logits (err %v)", err)
	}
	if _, err := Load(t.TempDir() + "/missing.safetensors"); err == nil {
		t.Error("a missing file loaded")
	}
	// A valid safetensors file that is not a saved Transformer is refused.
	other := t.TempDir() + "/other.safetensors"
	st := &tensorio.Safetensors{Metadata: map[string]string{"format": "something-else"},
		Tensors: []tensorio.Tensor{{Name: "x", Array: tensorio.Array{DType: tensorio.Float32, Shape: []int{2}, Floats: []float64{1, 2}}}}}
	if err := tensorio.WriteSafetensorsFile(other, st); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(other); err == nil || !strings.Contains(err.Error(), "not a factmlp SSFR Transformer") {
		t.Errorf("foreign file: err = %v", err)
	}
}

func TestTransformerCapacity(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a few Transformers")
	}
	opt := DefaultTrainOptions()
	opt.Steps, opt.Batch = 300, 128
	cfg := RunConfig{Facts: factset.Spec{N: 64, Dim: 64, Seed: 5}, Method: "encdec", Seed: 5,
		Task: Task{Facts: 64, Junk: 4, MinLen: 2, MaxLen: 6}, Train: opt, EvalSeqs: 500}
	res, err := TransformerCapacity(cfg, CapacityOptions{Threshold: 0.95, Lo: 8})
	if err != nil {
		t.Fatal(err)
	}
	if res.StandaloneHidden < 1 || res.MinHidden < res.StandaloneHidden || res.MinParams < res.StandaloneParams {
		t.Fatalf("implausible capacity %+v", res)
	}
	if len(res.Trials) == 0 {
		t.Fatal("no trials recorded")
	}
}
