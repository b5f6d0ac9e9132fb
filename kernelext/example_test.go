package kernelext_test

import (
	"fmt"
	"os"

	"github.com/factmlp/factmlp/kernelext"
)

// Outside a notebook, tables print as aligned text.
func ExampleShowTable() {
	kernelext.ShowTable([]string{"country", "capital"}, [][]any{{"France", "Paris"}, {"Japan", "Tokyo"}})
	// Output:
	// country  capital
	// France   Paris
	// Japan    Tokyo
}

// Pick chooses a size per scale; FACTMLP_SCALE selects the scale.
func ExamplePick() {
	os.Setenv(kernelext.ScaleEnv, "smoke")
	defer os.Unsetenv(kernelext.ScaleEnv)
	facts := kernelext.Pick(64, 1024, 65536)
	fmt.Println(kernelext.CurrentScale(), facts)
	// Output: smoke 64
}
