package backend_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/backend"
)

// Without GOMLX_BACKEND the computations run on GoMLX's pure-Go backend.
func ExampleGet() {
	b, err := backend.Get()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(backend.IsPureGo(b))
	// Output: true
}
