// Package training fits gated MLPs y = W_down(σ(W_gate·x + b_g) ⊙ (W_up·x + b_u)) + b_d
// to a fact set by gradient descent, in float32, on the shared GoMLX backend.
//
// The loss is cross-entropy over dot-product logits y·vⱼ against every value
// (the paper's GD baseline) or, optionally, the mean squared error to the
// target value. The optimiser is Adam with cosine decay of the learning rate
// to MinLR; training is full batch, or minibatches once the fact set is larger
// than MaxBatch; it stops as soon as every fact decodes correctly (or the loss
// falls below LossCutoff, or the epoch budget runs out).
//
// The forward and backward passes are written out by hand as one GoMLX graph
// (no autodiff): the gradient of the cross-entropy with respect to the MLP
// output is (softmax(Y·Vᵀ)·V − V_f)/B, so the one-hot matrix and the
// log-softmax are never built, and the F×|V| logits pass through a single
// fused softmax. Several optimiser steps are compiled into one executable so
// that small problems are not dominated by per-call overhead.
//
// The gated-MLP graph, Adam (with its bias corrections folded into the step
// size on the host) and the cosine schedule are those of package gomlxtrain,
// shared with the Transformer and the editing LM; BenchmarkStepGoMLXAdam
// times GoMLX's own Adam on the same step.
//
// Where a step's time went (pprof, issue #14): the fused softmax over the
// F×|V| logits took 56–61 % of the CPU at F = 512, d = 32, h = 20 and 58 %
// at F = 2048, d = 64, h = 512, on one core, most of it in the backend's
// scalar float32 exp (fastmath.Exp32). The repository builds against a
// patched copy of the backend (third_party/compute/PATCH.md) whose float32
// softmax runs rows on both cores and the exp on 16 lanes, bit for bit as
// upstream, so every run and every width found is what upstream gives.
// Its float32 small-matrix matmuls (every product of the MLP at the
// capacity-search shape) keep their accumulators in registers, again bit
// for bit; what is left is mostly the backend's large-matrix kernel and the
// exp, which must round as fastmath.Exp32 does (scripts/bench/README.md).
// Measured alternatives: max-subtract + Exp + ReduceSum instead of the
// fused softmax costs 1.9× the CPU per step (Exp runs math.Exp in float64);
// 16 steps per call instead of 4 saves 12 % of the CPU but moves the
// accuracy checks, so runs stop at other epochs.
//
// TrainMany trains several MLPs of one width on fact sets of one shape side
// by side: every tensor gains a leading model axis, each product is batched
// over it, and each model stops when it alone would. The backend runs each
// model's products with the same kernels as alone, so every model's weights
// are Train's bit for bit (TestTrainManyMatchesTrain, at the capacity-search
// shape too). At F = 512, d = 32, h = 20, four models take 0.69 (0.53–0.86)
// of the single model's time per model (make bench's gobench, 6 runs on
// 2026-12-01): the step is bound by the kernels, not by the per-call
// overhead that batching pays once. Together gathers Train calls from
// several goroutines and runs those of one width and shape as one TrainMany:
// a capacity sweep measures a point's seeds side by side through it (same
// records; a 6-point GD sweep at F = 256 and 512, d = 32, 3 seeds: 0.68–0.70
// of the wall time, 2 alternated pairs). Models of different widths cannot
// share a graph bit for bit (padding the hidden axis with zero units
// changes the order in which the backend's transposed kernel sums
// hidden·downᵀ), so they train apart.
//
// Every result is re-checked in float64 and float32 with mlp.Verify; Stored
// is true only when that exact check passes.
//
// EncDecGD is the gradient-based variant of the encoder–decoder construction:
// a fixed random projection decoder Rᵀ and a gated encoder trained by GD
// toward the codes, with the decoder frozen.
package training
