package atomicfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
)

func Example() {
	dir, err := os.MkdirTemp("", "atomicfile")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "results", "table.csv")

	// Readers of path see either no file or the whole table.
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "n,gamma\n64,0.5")
		return err
	})
	if err != nil {
		panic(err)
	}
	data, _ := os.ReadFile(path)
	fmt.Print(string(data))

	// A failed write leaves the old content in place.
	err = atomicfile.Write(path, func(w io.Writer) error { return fmt.Errorf("interrupted") })
	fmt.Println("error:", err)
	data, _ = os.ReadFile(path)
	fmt.Print(string(data))
	// Output:
	// n,gamma
	// 64,0.5
	// error: interrupted
	// n,gamma
	// 64,0.5
}
