package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fakeJupyter writes a script that stands in for `jupyter nbconvert --execute`:
// it sleeps, then copies the notebook to --output-dir/--output.ipynb.
func fakeJupyter(t *testing.T, sleep string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jupyter")
	script := `#!/bin/sh
while [ $# -gt 1 ]; do
  case "$1" in
    --output-dir) dir="$2"; shift ;;
    --output) name="$2"; shift ;;
  esac
  shift
done
sleep ` + sleep + `
cp "$1" "$dir/$name.ipynb"
`
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeNotebooks(t *testing.T, names ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, n := range names {
		p := filepath.Join(dir, n+".ipynb")
		nb := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": "x := 1", "metadata": {}, "outputs": []}]}`
		if err := os.WriteFile(p, []byte(nb), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// With -jobs 3, three notebooks that each take 1 s finish together in well
// under the 3 s they take one after the other, and their lines still print in
// the order given.
func TestJobsRunNotebooksAtOnceInOrder(t *testing.T) {
	jupyter := fakeJupyter(t, "1")
	nbs := writeNotebooks(t, "c_third", "a_first", "b_second")
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run(append([]string{"-jobs", "3", "-jupyter", jupyter, "-out", t.TempDir()}, nbs...), &stdout, &stderr)
	elapsed := time.Since(start)
	if code != 0 {
		t.Fatalf("nbrun -jobs 3 exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if elapsed > 2500*time.Millisecond {
		t.Errorf("-jobs 3 took %s for three 1 s notebooks, want them to run at once (< 2.5 s)", elapsed)
	}
	names := regexp.MustCompile(`(?m)^([a-c]_\w+)\s`).FindAllStringSubmatch(stdout.String(), -1)
	var got []string
	for _, m := range names {
		got = append(got, m[1])
	}
	if strings.Join(got, " ") != "c_third a_first b_second" {
		t.Errorf("lines in order %v, want the notebooks' order c_third a_first b_second\n%s", got, stdout.String())
	}
}

func TestJobsRejectsLessThanOne(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-jobs", "0", "x.ipynb"}, &stdout, &stderr); code != 2 {
		t.Errorf("-jobs 0 exited %d, want 2 (usage)", code)
	}
	if !strings.Contains(stderr.String(), "-jobs 0") || !strings.Contains(stderr.String(), "1 or more") {
		t.Errorf("-jobs 0: stderr %q, want it to name the value and what is accepted", stderr.String())
	}
}
