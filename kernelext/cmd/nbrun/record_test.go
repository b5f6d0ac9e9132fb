package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestNumbersPrecision(t *testing.T) {
	vals, tols := Numbers("F = 16,384 at 99.6 % and 1e-9, slope −0.97")
	want := []float64{16384, 99.6, 1e-9, 0.97}
	wantTol := []float64{0.5, 0.05, 5e-10, 0.005}
	if !reflect.DeepEqual(vals, want) {
		t.Fatalf("values %v, want %v", vals, want)
	}
	for i := range wantTol {
		if d := tols[i] - wantTol[i]; d > 1e-15 || d < -1e-15 {
			t.Fatalf("tolerances %v, want %v", tols, wantTol)
		}
	}
}

func TestUnmatched(t *testing.T) {
	out := "recall 0.9961 · slope 0.9249 [0.88, 0.97] · F 1024"
	if m := Unmatched("F = 1024: 99.6 % recall, slope 0.92", out); len(m) != 0 {
		t.Fatalf("rounded and percent forms should match, missing %v", m)
	}
	if m := Unmatched("F = 512: 99.7 % recall, slope 0.93", out); !reflect.DeepEqual(m, []string{"512", "99.7", "0.93"}) {
		t.Fatalf("drifted numbers not reported: %v", m)
	}
}

func TestOutputText(t *testing.T) {
	nb := `{"nbformat": 4, "metadata": {}, "cells": [
	 {"cell_type": "code", "source": "x", "metadata": {}, "outputs": [
	  {"output_type": "stream", "name": "stdout", "text": ["slope 0.92\n"]},
	  {"output_type": "stream", "name": "stderr", "text": ["train: 10/100\n"]},
	  {"output_type": "display_data", "data": {"text/html": "<table><tr><td>gd</td><td>0.9249</td></tr></table>", "text/plain": "ignored"}},
	  {"output_type": "display_data", "data": {"image/png": "AAAA"}}]}]}`
	got, err := OutputText([]byte(nb))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "slope 0.92") || !strings.Contains(got, "gd 0.9249") || strings.Contains(got, "train:") || strings.Contains(got, "ignored") || strings.Contains(got, "AAAA") {
		t.Fatalf("output text %q", got)
	}
	if _, err := OutputText([]byte("{")); err == nil {
		t.Fatal("broken JSON accepted")
	}
}
