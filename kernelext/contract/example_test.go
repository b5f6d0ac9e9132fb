package contract_test

import (
	"fmt"

	"github.com/factmlp/factmlp/kernelext/contract"
)

// The runner checks a scale before starting a notebook with it.
func ExampleCheckScale() {
	fmt.Println(contract.CheckScale("fast"))
	fmt.Println(contract.CheckScale("tiny"))
	// Output:
	// <nil>
	// scale "tiny" not accepted; use smoke, fast, paper
}
