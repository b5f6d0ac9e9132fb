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
// it appends the notebook's name to started (when not ""), sleeps, then
// copies the notebook to --output-dir/--output.ipynb.
func fakeJupyter(t *testing.T, sleep, started string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jupyter")
	log := ""
	if started != "" {
		log = `echo "$name" >> ` + started
	}
	script := `#!/bin/sh
while [ $# -gt 1 ]; do
  case "$1" in
    --output-dir) dir="$2"; shift ;;
    --output) name="$2"; shift ;;
  esac
  shift
done
` + log + `
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
	jupyter := fakeJupyter(t, "1", "")
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

// -longest-first starts the notebooks the file says take longest first
// (unlisted ones last, as given) and still prints lines in notebook order.
func TestLongestFirstStartOrder(t *testing.T) {
	dir := t.TempDir()
	started := filepath.Join(dir, "started")
	jupyter := fakeJupyter(t, "0", started)
	secs := filepath.Join(dir, "seconds.json")
	if err := os.WriteFile(secs, []byte(`{"smoke": {"b_second": 90, "c_third": 30}, "fast": {"a_first": 500}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	nbs := writeNotebooks(t, "a_first", "b_second", "c_third", "d_fourth")
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"-scale", "smoke", "-jobs", "1", "-longest-first", secs, "-jupyter", jupyter, "-out", t.TempDir()}, nbs...), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	got, err := os.ReadFile(started)
	if err != nil {
		t.Fatal(err)
	}
	if order := strings.Fields(string(got)); strings.Join(order, " ") != "b_second c_third a_first d_fourth" {
		t.Errorf("started %v, want b_second c_third a_first d_fourth", order)
	}
	names := regexp.MustCompile(`(?m)^([a-d]_\w+)\s`).FindAllStringSubmatch(stdout.String(), -1)
	var lines []string
	for _, m := range names {
		lines = append(lines, m[1])
	}
	if strings.Join(lines, " ") != "a_first b_second c_third d_fourth" {
		t.Errorf("lines in order %v, want the notebooks' order", lines)
	}
	if code := run([]string{"-longest-first", filepath.Join(dir, "missing.json"), "-jupyter", jupyter, nbs[0]}, &stdout, &stderr); code != 2 {
		t.Errorf("a missing -longest-first file exited %d, want 2", code)
	}
}
