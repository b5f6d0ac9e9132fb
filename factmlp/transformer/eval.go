package transformer

import (
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/factmlp/factmlp/factmlp/gomlxtrain"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"
)

// EvalResult is recall on fresh SSFR sequences.
type EvalResult struct {
	Sequences int
	Accuracy  float64 // argmax over the whole vocabulary at Q equals f(K)
	Loss      float64 // mean cross-entropy at Q
	// The MLP's margin on the inputs attention actually delivers:
	// γ = ⟨ŷ, e_f(K)⟩ − max_{j≠f(K)} ⟨ŷ, e_j⟩ over fact tokens, ŷ = y/‖y‖.
	MeanMargin, MinMargin float64
	PositiveMargin        float64 // fraction of sequences with γ > 0
	// DeliveryCos is the mean cosine between the MLP's input and the key
	// embedding e_K: how cleanly attention routes the key to the MLP.
	DeliveryCos float64
}

func (e EvalResult) String() string {
	return fmt.Sprintf("accuracy %.4f on %d sequences (loss %.4f), MLP margin on delivered inputs mean %.3f min %.3f, delivery cos %.4f",
		e.Accuracy, e.Sequences, e.Loss, e.MeanMargin, e.MinMargin, e.DeliveryCos)
}

// Evaluate measures recall of the model (with its current MLP) on n fresh
// sequences for mapping, drawn from seed.
func Evaluate(m *Model, mapping []int, n int, seed uint64) (EvalResult, error) {
	return evaluate(m, mapping, n, seed, false)
}

// EvaluateEveryFact is Evaluate with every fact asked equally often: n is
// rounded up to a multiple of the number of facts F, and the keys run
// through n/F random permutations of the F facts, so an accuracy ≥ 1 − 1/n
// says every fact is recalled in at least one context.
func EvaluateEveryFact(m *Model, mapping []int, n int, seed uint64) (EvalResult, error) {
	return evaluate(m, mapping, n, seed, true)
}

func evaluate(m *Model, mapping []int, n int, seed uint64, everyFact bool) (EvalResult, error) {
	if n < 1 {
		return EvalResult{}, fmt.Errorf("transformer: evaluation needs ≥ 1 sequence, got %d", n)
	}
	be, err := backend.Get()
	if err != nil {
		return EvalResult{}, err
	}
	F := m.Cfg.Task.Facts
	act := m.MLP.Act
	sig := modelSignature().Add("tokens", "qpos", "target", "key")
	fn := func(in gomlxtrain.Inputs) []*Node {
		w, mw := modelNodes(in)
		tokens, qpos, target, key := in.Get("tokens"), in.Get("qpos"), in.Get("target"), in.Get("key")
		fo := forward(m, act, w, mw, tokens, qpos)
		loss, correct := lossAndCorrect(fo.logits, target)
		facts := Slice(w["emb_out"], AxisRange(0, F), AxisRange())
		yn := Div(fo.y, Sqrt(AddScalar(ReduceAndKeep(Square(fo.y), ReduceSum, -1), 1e-30)))
		s := Einsum("bd,fd->bf", yn, facts)
		oh := OneHot(target, F, dtypes.Float32)
		st := ReduceSum(Mul(s, oh), -1)
		other := ReduceMax(Where(GreaterThan(oh, ZerosLike(oh)), AddScalar(ZerosLike(s), -1e30), s), -1)
		margin := Sub(st, other)
		ek := Gather(w["emb_in"], InsertAxes(key, -1))
		cos := Div(ReduceSum(Mul(fo.z, ek), -1),
			Sqrt(AddScalar(Mul(ReduceSum(Square(fo.z), -1), ReduceSum(Square(ek), -1)), 1e-30)))
		return []*Node{MulScalar(loss, float64(tokens.Shape().Dimensions[0])), correct, margin, cos}
	}
	exec, err := sig.Exec(be, fn)
	if err != nil {
		return EvalResult{}, err
	}
	defer exec.Finalize()
	wts, mlps := m.graphInputs()
	r := rng.Derive(seed, "transformer/eval-batches")
	var keys []int // every fact, n/F times, in random order
	if everyFact {
		F := m.Cfg.Task.Facts
		n = (n + F - 1) / F * F
		kr := rng.Derive(seed, "transformer/eval-keys")
		for len(keys) < n {
			keys = append(keys, kr.Perm(F)...)
		}
	}
	const chunk = 512
	res := EvalResult{MinMargin: math.Inf(1)}
	var lossSum, correct, cosSum, marginSum float64
	var positive int
	for done := 0; done < n; {
		bs := min(chunk, n-done)
		var b Batch
		if keys != nil {
			b, err = m.Cfg.Task.SampleKeys(r, keys[done:done+bs], mapping)
		} else {
			b, err = m.Cfg.Task.Sample(r, bs, mapping)
		}
		if err != nil {
			return res, err
		}
		args, err := modelArgs(sig, wts, mlps).Set("tokens", int32Tensor(b.Tokens, bs, b.SeqLen)).Set("qpos", int32Tensor(b.QPos, bs)).
			Set("target", int32Tensor(b.Target, bs)).Set("key", int32Tensor(b.Key, bs)).List()
		if err != nil {
			return res, err
		}
		outs, err := exec.Call(args...)
		if err != nil {
			return res, fmt.Errorf("transformer: evaluation: %w", err)
		}
		lossSum += float64(tensors.ToScalar[float32](outs[0]))
		correct += float64(tensors.ToScalar[float32](outs[1]))
		margins := tensors.MustCopyFlatData[float32](outs[2])
		for _, g := range margins {
			marginSum += float64(g)
			res.MinMargin = math.Min(res.MinMargin, float64(g))
			if g > 0 {
				positive++
			}
		}
		for _, c := range tensors.MustCopyFlatData[float32](outs[3]) {
			cosSum += float64(c)
		}
		done += bs
	}
	fn64 := float64(n)
	res.Sequences = n
	res.Accuracy, res.Loss = correct/fn64, lossSum/fn64
	res.MeanMargin, res.PositiveMargin, res.DeliveryCos = marginSum/fn64, float64(positive)/fn64, cosSum/fn64
	return res, nil
}

// FactAdaptive evaluates the model with a fresh MLP swapped into the MLP slot
// (storing freshMap on the same embeddings), without retraining, and puts the
// original MLP back. This is the fact-adaptive accuracy: does attention
// deliver keys to whatever MLP is there, or did it memorise the training map?
func FactAdaptive(m *Model, fresh *mlp.Gated, freshMap []int, n int, seed uint64) (EvalResult, error) {
	return factAdaptive(m, fresh, freshMap, n, seed, false)
}

// factAdaptive is FactAdaptive, asking every fact equally often when
// everyFact is set (EvaluateEveryFact).
func factAdaptive(m *Model, fresh *mlp.Gated, freshMap []int, n int, seed uint64, everyFact bool) (EvalResult, error) {
	orig := m.MLP
	if err := m.SetMLP(fresh); err != nil {
		return EvalResult{}, err
	}
	defer func() { m.MLP = orig }()
	return evaluate(m, freshMap, n, seed, everyFact)
}

// Logits returns the model's logits at each sequence's query position
// (b.Size × Vocab, row-major), with the model's current MLP.
func Logits(m *Model, b Batch) ([]float32, error) {
	be, err := backend.Get()
	if err != nil {
		return nil, err
	}
	act := m.MLP.Act
	sig := modelSignature().Add("tokens", "qpos")
	exec, err := sig.Exec(be, func(in gomlxtrain.Inputs) []*Node {
		w, mw := modelNodes(in)
		return []*Node{forward(m, act, w, mw, in.Get("tokens"), in.Get("qpos")).logits}
	})
	if err != nil {
		return nil, err
	}
	defer exec.Finalize()
	wts, mlps := m.graphInputs()
	args, err := modelArgs(sig, wts, mlps).Set("tokens", int32Tensor(b.Tokens, b.Size, b.SeqLen)).
		Set("qpos", int32Tensor(b.QPos, b.Size)).List()
	if err != nil {
		return nil, err
	}
	outs, err := exec.Call(args...)
	if err != nil {
		return nil, fmt.Errorf("transformer: logits: %w", err)
	}
	return tensors.CopyFlatData[float32](outs[0])
}
