package transformer_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/transformer"
)

// An SSFR batch: junk, the key, junk, the query token and the value, then padding.
func ExampleTask_Sample() {
	task := transformer.Task{Facts: 10, Junk: 3, MinLen: 1, MaxLen: 3}
	mapping := []int{3, 7, 1, 0, 9, 2, 8, 6, 4, 5}
	b, err := task.Sample(rng.New(4), 1, mapping)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("tokens:", b.Tokens)
	fmt.Printf("key %d, query at %d, target %d = f(key), pad id %d\n", b.Key[0], b.QPos[0], b.Target[0], task.Pad())
	// Output:
	// tokens: [10 12 3 12 11 12 13 0 14]
	// key 3, query at 6, target 0 = f(key), pad id 14
}
