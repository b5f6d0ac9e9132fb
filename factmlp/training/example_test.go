package training_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/training"
)

// Train a bilinear (identity-gated) MLP with 24 hidden units on 64 facts
// in dimension 16 and check it with the exact argmax test.
func ExampleTrain() {
	table := factset.Spherical(64, 16, rng.Derive(1, "table"))
	fs := factset.NewTied(table, rng.Derive(1, "map"))
	res, err := training.Train(fs, training.Options{Hidden: 24, Act: mlp.Identity, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stored:", res.Stored, "params:", res.MLP.Params())
	// Output: stored: true params: 1152
}
