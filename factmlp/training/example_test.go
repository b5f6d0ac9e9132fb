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

// Train three MLPs of one width on three fact sets of one shape side by
// side in one graph; each comes out as Train would give it alone.
func ExampleTrainMany() {
	var sets []*factset.FactSet
	for s := uint64(1); s <= 3; s++ {
		sets = append(sets, factset.NewTied(factset.Spherical(64, 16, rng.Derive(s, "table")), rng.Derive(s, "map")))
	}
	res, err := training.TrainMany(sets, training.Options{Hidden: 24}, []uint64{1, 2, 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	for k, r := range res {
		alone, _ := training.Train(sets[k], training.Options{Hidden: 24, Seed: uint64(k + 1)})
		fmt.Println("model", k, "stored:", r.Stored, "same epochs as alone:", r.Epochs == alone.Epochs)
	}
	// Output:
	// model 0 stored: true same epochs as alone: true
	// model 1 stored: true same epochs as alone: true
	// model 2 stored: true same epochs as alone: true
}

// Two searches (goroutines) train at the same time; their calls of one
// width run as one graph of two models, each as Train would give it.
func ExampleTogether() {
	together := training.NewTogether(2)
	stored := make([]bool, 2)
	done := make(chan int)
	for k := range 2 {
		go func() {
			defer func() { done <- k }()
			defer together.Leave()
			fs := factset.NewTied(factset.Spherical(64, 16, rng.Derive(uint64(k), "table")), rng.Derive(uint64(k), "map"))
			res, err := together.Train(fs, training.Options{Hidden: 24, Seed: uint64(k)})
			stored[k] = err == nil && res.Stored
		}()
	}
	<-done
	<-done
	fmt.Println("stored:", stored, "trained as (models, width):", together.Groups())
	// Output: stored: [true true] trained as (models, width): [[2 24]]
}
