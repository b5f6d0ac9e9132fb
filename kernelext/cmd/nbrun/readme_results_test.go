package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every number in the README's results table ("what we measure") appears in
// the recorded output of that notebook's last fast run (results/fast, written
// by `make notebooks`) or in the notebook's code cells or sweep configs (its
// design constants; its markdown does not count: it is checked the same way).
// A notebook without a recorded fast run may have a row without numbers.
func TestREADMEResultsMatchFastRun(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	nbName := regexp.MustCompile("`(\\d\\d[a-z]?_[a-z0-9_]+)`")
	for _, line := range strings.Split(string(readme), "\n") {
		cols := strings.Split(strings.ReplaceAll(line, `\|`, "¦"), "|")
		if len(cols) != 5 || !nbName.MatchString(cols[2]) {
			continue
		}
		rows++
		name := nbName.FindStringSubmatch(cols[2])[1]
		run, err := os.ReadFile(filepath.Join(root, "results", "fast", name+".txt"))
		if err != nil {
			// Without a recorded fast run a row may describe the notebook
			// but claim no number.
			if vals, _ := Numbers(cols[3]); len(vals) > 0 {
				t.Errorf("%s: the README row states numbers but there is no recorded fast run (%v); run `make notebooks` (it records results/fast/)", name, err)
			}
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, "notebooks", name+".ipynb"))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		_, code, err := MarkdownCells(src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if m := Unmatched(cols[3], string(run), code+notebookConfigs(t, root, name)); len(m) > 0 {
			t.Errorf("README row for %s: %v appear neither in its last fast run (results/fast/%s.txt) nor in the notebook's code or configs", name, m, name)
		}
	}
	if rows < 10 {
		t.Fatalf("found %d notebook rows in the README's results table, want 10", rows)
	}
}
