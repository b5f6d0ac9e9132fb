package training

import (
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

func tiedSet(n, d int, seed uint64) *factset.FactSet {
	return factset.NewTied(factset.Spherical(n, d, rng.Derive(seed, "table")), rng.Derive(seed, "map"))
}

func TestTrainStoresSmallSet(t *testing.T) {
	fs := tiedSet(64, 16, 1)
	for _, act := range []mlp.Activation{mlp.Identity, mlp.ReLU, mlp.SiLU} {
		res, err := Train(fs, Options{Hidden: 32, Act: act, Seed: 3, Epochs: 1500, LR: 1e-2})
		if err != nil {
			t.Fatal(err)
		}
		// Verify is the exact check; the result must agree with it.
		rep, err := mlp.Verify(res.MLP, fs)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Stored || rep.Accuracy != 1 {
			t.Fatalf("%s: not stored after %d epochs: %v (train acc %.3f, loss %.3g)", act, res.Epochs, rep, res.TrainAccuracy, res.Loss)
		}
		if res.MLP.Method != "gd" || res.MLP.Hidden() != 32 || res.MLP.Params() != 3*32*16 {
			t.Fatalf("%s: wrong MLP metadata: method %q hidden %d params %d", act, res.MLP.Method, res.MLP.Hidden(), res.MLP.Params())
		}
		t.Logf("%s: stored in %d epochs, %.2fs, γ_min %.3g", act, res.Epochs, res.Seconds, rep.MinMargin)
	}
}

func TestTrainBiasesMSEAndMinibatches(t *testing.T) {
	fs := tiedSet(96, 16, 2)
	res, err := Train(fs, Options{Hidden: 48, Act: mlp.ReLU, Bias: true, Loss: MSE, Seed: 4, Epochs: 3000, LR: 1e-2, MaxBatch: 40})
	if err != nil {
		t.Fatal(err)
	}
	if res.MLP.GateBias == nil || res.MLP.DownBias == nil {
		t.Fatal("biases were requested but the MLP has none")
	}
	if res.Steps != res.Epochs*3 && res.Steps < res.Epochs*3-8 {
		t.Fatalf("minibatches of 40 over 96 facts should take 3 steps per epoch; got %d steps for %d epochs", res.Steps, res.Epochs)
	}
	if !res.Stored {
		t.Fatalf("MSE with minibatches did not store 96 facts: %v (loss %.3g)", res.Report, res.Loss)
	}
}

func TestTrainTooSmallFails(t *testing.T) {
	// 256 facts cannot fit in 3·1·16 = 48 parameters.
	fs := tiedSet(256, 16, 5)
	res, err := Train(fs, Options{Hidden: 1, Seed: 1, Epochs: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored {
		t.Fatal("a 1-unit MLP cannot store 256 facts, yet Stored is true")
	}
}

func TestTrainBadOptions(t *testing.T) {
	fs := tiedSet(8, 4, 1)
	for _, o := range []Options{{Hidden: 0}, {Hidden: 2, Act: "tanh"}, {Hidden: 2, Loss: "hinge"}, {Hidden: 2, LR: -1}} {
		if _, err := Train(fs, o); err == nil {
			t.Fatalf("options %+v should be rejected", o)
		}
	}
}

func TestEncDecGD(t *testing.T) {
	fs := tiedSet(128, 16, 9)
	for _, loss := range []Loss{MSE, CE} {
		res, err := EncDecGD(fs, EncDecOptions{Options: Options{Hidden: 96, Act: mlp.ReLU, Seed: 2, Epochs: 3000, Loss: loss}})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := mlp.Verify(res.MLP, fs)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Stored || rep.Accuracy != 1 {
			t.Fatalf("%s: encdec-gd did not store 128 facts: %v (loss %.3g)", loss, rep, res.Loss)
		}
		if res.MLP.Method != "encdec-gd" || res.MLP.CodeDim < 1 || res.MLP.CodeDim > 16 {
			t.Fatalf("%s: method %q code dim %d", loss, res.MLP.Method, res.MLP.CodeDim)
		}
		t.Logf("%s: m=%d stored in %d epochs (%.2fs)", loss, res.MLP.CodeDim, res.Epochs, res.Seconds)
	}
}

// Models trained side by side must come out as each would alone: the same
// stopping epoch and the same weights.
func TestTrainManyMatchesTrain(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"full batch", Options{Hidden: 24, Epochs: 400}},
		{"minibatches, biases, relu", Options{Hidden: 24, Epochs: 200, MaxBatch: 48, Bias: true, Act: mlp.ReLU}},
		{"mse", Options{Hidden: 24, Epochs: 200, Loss: MSE}},
		{"capacity-search shape, split logits", Options{Hidden: 20, Epochs: 150}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.Hidden == 20 && testing.Short() {
				t.Skip("the capacity-search shape takes 18 s under -race; go test runs it")
			}
			n, d := 128, 16
			if tc.opts.Hidden == 20 {
				n, d = 512, 32
			}
			sets := []*factset.FactSet{tiedSet(n, d, 1), tiedSet(n, d, 2), tiedSet(n, d, 3)}
			seeds := []uint64{11, 12, 13}
			many, err := TrainMany(sets, tc.opts, seeds)
			if err != nil {
				t.Fatal(err)
			}
			for k, fs := range sets {
				o := tc.opts
				o.Seed = seeds[k]
				one, err := Train(fs, o)
				if err != nil {
					t.Fatal(err)
				}
				m := many[k]
				if m.Epochs != one.Epochs || m.Stored != one.Stored {
					t.Errorf("model %d: together %d epochs, stored %v; alone %d epochs, stored %v", k, m.Epochs, m.Stored, one.Epochs, one.Stored)
				}
				var diff float64
				for _, pair := range [][2]*mat.Dense{{m.MLP.Gate, one.MLP.Gate}, {m.MLP.Up, one.MLP.Up}, {m.MLP.Down, one.MLP.Down}} {
					var d mat.Dense
					d.Sub(pair[0], pair[1])
					diff = max(diff, mat.Norm(&d, math.Inf(1)))
				}
				t.Logf("model %d: %d epochs, stored %v, accuracy %.4f; largest weight difference from Train %.3g", k, m.Epochs, m.Stored, m.Report.Accuracy, diff)
				if diff != 0 {
					t.Errorf("model %d: weights differ from Train's by up to %g", k, diff)
				}
			}
		})
	}
}

func TestTrainManyRejectsMixedShapes(t *testing.T) {
	_, err := TrainMany([]*factset.FactSet{tiedSet(64, 16, 1), tiedSet(32, 16, 2)}, Options{Hidden: 8}, []uint64{1, 2})
	if err == nil || !strings.Contains(err.Error(), "one shape") {
		t.Fatalf("mixed shapes: err %v, want a shape error", err)
	}
	if _, err := TrainMany([]*factset.FactSet{tiedSet(64, 16, 1)}, Options{Hidden: 8}, nil); err == nil {
		t.Fatal("no seeds: want an error")
	}
}
