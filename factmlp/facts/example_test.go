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

func ExampleLoadBookDataset() {
	d, _ := facts.LoadBookDataset(2048) // the first 2,048 rows of data/book_authors
	fmt.Println(len(d.Subjects), "facts,", len(d.Templates), "phrasings each")
	fmt.Println(d.Vocab.Decode(d.Sentence(1, 3, d.ObjectTok[1])))
	// Output:
	// 2048 facts, 16 phrasings each
	// Who wrote The Tommyknockers ? The answer is Stephen King
}
