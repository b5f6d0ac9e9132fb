package main

import (
	"strings"
	"testing"
)

// FuzzAnalyze: any bytes either fail with an error or give a consistent
// analysis: counts ≥ 0, median ≤ slowest, every error names its cell. The seed
// corpus is in testdata/fuzz/FuzzAnalyze.
func FuzzAnalyze(f *testing.F) {
	f.Add([]byte(`{"nbformat": 4, "cells": [], "metadata": {}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Analyze(b)
		if err != nil {
			return
		}
		if a.CodeCells < 0 || a.Figures < 0 || a.Figures > len(b) {
			t.Fatalf("counts: %+v", a)
		}
		if a.MedianCell > a.SlowestCell {
			t.Fatalf("median %v > slowest %v", a.MedianCell, a.SlowestCell)
		}
		for _, e := range a.Errors {
			if !strings.HasPrefix(e, "cell ") {
				t.Fatalf("error entry does not name its cell: %q", e)
			}
		}
	})
}
