package tensorio_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

// Write an embedding table as float32 .npy and read it back.
func ExampleWriteMatrix() {
	dir, _ := os.MkdirTemp("", "npy")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "values.npy")
	table := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6.5})
	if err := tensorio.WriteMatrix(path, table, tensorio.Float32); err != nil {
		fmt.Println(err)
		return
	}
	back, err := tensorio.ReadMatrix(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(mat.Formatted(back))
	// Output:
	// ⎡  1    2    3⎤
	// ⎣  4    5  6.5⎦
}
