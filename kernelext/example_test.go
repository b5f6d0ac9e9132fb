package kernelext_test

import (
	"fmt"
	"os"

	"github.com/factmlp/factmlp/kernelext"
)

// A table is a slice of structs; tags name and format the columns. Outside
// a notebook it prints as aligned text.
func ExampleShowTable() {
	type capital struct {
		Country string  `table:"country"`
		City    string  `table:"capital"`
		Lat     float64 `table:"latitude" fmt:"%.1f°"`
	}
	kernelext.ShowTable([]capital{{"France", "Paris", 48.8566}, {"Japan", "Tokyo", 35.6764}})
	// Output:
	// country  capital  latitude
	// France   Paris    48.9°
	// Japan    Tokyo    35.7°
}

// Pick chooses a size per scale; FACTMLP_SCALE selects the scale.
func ExamplePick() {
	os.Setenv(kernelext.ScaleEnv, "smoke")
	defer os.Unsetenv(kernelext.ScaleEnv)
	facts := kernelext.Pick(64, 1024, 65536)
	fmt.Println(kernelext.CurrentScale(), facts)
	// Output: smoke 64
}
