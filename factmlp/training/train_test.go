package training

import (
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
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
