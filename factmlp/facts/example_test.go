package facts_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/facts"
)

func Example() {
	d, _ := facts.NewDataset([]facts.Country{{"France", "Paris", "EUR", "Europe", "French"}, {"Japan", "Tokyo", "JPY", "Asia", "Japanese"}}, "capital")
	fmt.Println(d.Vocab.Decode(d.Sentence(1, 1, d.ObjectTok[1])))
	// Output: Japan 's capital is Tokyo
}
