package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every number a markdown cell of a committed notebook states as a
// measurement appears in that notebook's last fast run
// (results/fast/<notebook>.txt, written by `make notebooks`) within its
// printed precision, or in the notebook's code cells or sweep configs
// (design constants).
// What is not a measurement — maths, code, headings, references, quotes
// from the paper (after "paper:" or in a blockquote) — is exempt: see
// Claims. A notebook without a recorded fast run may state no measured
// number in its markdown (the README table's rule), only its design constants.
func TestNotebookMarkdownMatchesFastRun(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	nbs, err := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(nbs) < 10 {
		t.Fatalf("found %d notebooks, want at least 10", len(nbs))
	}
	for _, path := range nbs {
		name := strings.TrimSuffix(filepath.Base(path), ".ipynb")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		cells, code, err := MarkdownCells(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		code += notebookConfigs(t, root, name)
		run, err := os.ReadFile(filepath.Join(root, "results", "fast", name+".txt"))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for i, md := range cells {
			claims := Claims(md)
			missing := Unmatched(claims, string(run), code) // run is empty when none is recorded
			if len(missing) == 0 {
				continue
			}
			where := "its last fast run (results/fast/" + name + ".txt) nor in its code cells or configs"
			if run == nil {
				where = "its code cells or configs, and no fast run is recorded (run `make notebooks`)"
			}
			t.Errorf("%s, markdown cell %d: %v appear in neither %s; compute them in the cell that produces the result (kernelext.Markdownf), quote the paper after \"paper:\", or drop them.\n  text: %s",
				name, i+1, missing, where, firstLine(strings.Join(strings.Fields(md), " ")))
		}
	}
}

// notebookConfigs returns the text of a notebook's sweep configs
// (scripts/cluster/<scale>/<number>_*.json): design constants its cells load.
func notebookConfigs(t *testing.T, root, name string) string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(root, "scripts", "cluster", "*", strings.SplitN(name, "_", 2)[0]+"_*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("\n")
		b.Write(data)
	}
	return b.String()
}
