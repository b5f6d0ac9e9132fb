package tensorio_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/factmlp/factmlp/factmlp/tensorio"
	"gonum.org/v1/gonum/mat"
)

// Write a matrix with metadata to a .safetensors file (readable by
// safetensors.torch.load_file) and read it back.
func ExampleWriteSafetensorsFile() {
	dir, _ := os.MkdirTemp("", "st")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "w.safetensors")
	w, _ := tensorio.MatrixTensor("weight", mat.NewDense(2, 2, []float64{1, 2, 3, 4}), tensorio.Float64)
	_ = tensorio.WriteSafetensorsFile(path, &tensorio.Safetensors{
		Tensors: []tensorio.Tensor{w}, Metadata: map[string]string{"note": "demo"}})
	s, err := tensorio.ReadSafetensorsFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := s.MatrixOf("weight")
	fmt.Println(s.Names(), s.Metadata["note"], m.At(1, 0))
	// Output: [weight] demo 3
}
