package method_test

import (
	"fmt"
	"strings"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/method"
)

// A method is chosen by name, prepared for a fact set, and asked for the
// smallest MLP that stores it.
func Example() {
	fs, err := factset.Spec{N: 48, Dim: 16, Seed: 1}.Generate()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := method.New("encdec", method.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := m.Prepare(fs, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	mn, err := method.Smallest(b, method.SmallestOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s stores %d facts at hidden width %d (code dimension %d): %d/%d exact\n",
		m.Name(), fs.NumFacts(), mn.Hidden, mn.CodeDim, mn.Report.Correct, mn.Report.Facts)
	// An unknown name is an error that lists every registered name.
	_, err = method.New("sgd", method.Settings{})
	fmt.Println(strings.Contains(err.Error(), strings.Join(method.Names(), ", ")))
	// Output:
	// encdec stores 48 facts at hidden width 40 (code dimension 10): 48/48 exact
	// true
}
