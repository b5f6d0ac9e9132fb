package training

import (
	"sync"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"gonum.org/v1/gonum/mat"
)

// Members' calls of one width train as one TrainMany, a call of another
// width alone, and every result is Train's; a member that leaves early
// does not hold the others up.
func TestTogetherMatchesTrain(t *testing.T) {
	type call struct {
		fs     *factset.FactSet
		hidden int
		seed   uint64
	}
	calls := []call{{tiedSet(96, 16, 1), 20, 11}, {tiedSet(96, 16, 2), 20, 12}, {tiedSet(96, 16, 3), 14, 13}, {tiedSet(96, 16, 4), 20, 14}}
	together := NewTogether(len(calls) + 1)
	together.Leave() // a member with nothing to train
	res := make([]*Result, len(calls))
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for k, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer together.Leave()
			res[k], errs[k] = together.Train(c.fs, Options{Hidden: c.hidden, Epochs: 300, Seed: c.seed})
		}()
	}
	wg.Wait()
	groups := map[[2]int]int{}
	for _, g := range together.Groups() {
		groups[g]++
	}
	if len(groups) != 2 || groups[[2]int{3, 20}] != 1 || groups[[2]int{1, 14}] != 1 {
		t.Fatalf("trained as %v; want 3 models of width 20 together and 1 of width 14 alone", together.Groups())
	}
	for k, c := range calls {
		if errs[k] != nil {
			t.Fatal(errs[k])
		}
		alone, err := Train(c.fs, Options{Hidden: c.hidden, Epochs: 300, Seed: c.seed})
		if err != nil {
			t.Fatal(err)
		}
		if res[k].Epochs != alone.Epochs || res[k].Stored != alone.Stored || !mat.Equal(res[k].MLP.Down, alone.MLP.Down) || !mat.Equal(res[k].MLP.Gate, alone.MLP.Gate) {
			t.Errorf("call %d (width %d): together %d epochs, stored %v; alone %d epochs, stored %v, or other weights",
				k, c.hidden, res[k].Epochs, res[k].Stored, alone.Epochs, alone.Stored)
		}
	}
}
