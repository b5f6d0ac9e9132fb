package main

import (
	"reflect"
	"strings"
	"testing"
)

// Claims keeps the numbers prose states as measurements and drops the
// exempt ones: each case names the rule it exercises.
func TestClaimsKeepsMeasurementsDropsExemptNumbers(t *testing.T) {
	cases := []struct {
		rule, markdown string
		want           []string // the numbers left to check
	}{
		{"measurement", "the slope is 1.04 at F = 4096", []string{"1.04", "4096"}},
		{"inline maths", "one neuron costs $3d+2$ parameters in $\\mathbb{R}^{16}$, slope 0.91", []string{"0.91"}},
		{"display maths", "$$m = 2\\ln|V|/\\rho^2$$\nso m = 25", []string{"25"}},
		{"inline code", "run `make notebook SCALE=smoke -facts 1024`; it took 12 s", []string{"12"}},
		{"fenced code", "```sh\nfactmlp rho -facts 1024\n```\nρ = 0.64", []string{"0.64"}},
		{"heading", "## 3 · At scale: F = 4096\nslope 1.2", []string{"1.2"}},
		{"numbered list", "1. the bootstrap cell\n2. the scale cell with 7 seeds", []string{"7"}},
		{"link target", "[notes](https://arxiv.org/abs/2512.00207) say 0.5", []string{"0.5"}},
		{"bare URL", "see https://github.com/x/y/blob/v2.1/a.go: 3.5", []string{"3.5"}},
		{"references", "Fig. 2, Figs. 3–4, Eq. 3, Table 1, §7, Section 4.1, Appendix C.2, notebooks 02 and 03, Exercise 1, arXiv 2512.00207, Nichani et\nal. 2024: 0.7", []string{"0.7"}},
		{"a reference list takes whole numbers only", "Table 2 and 0.91, Figs. 3 and 4", []string{"0.91"}},
		{"paper quote in parentheses", "ours 0.49 (paper: 0.3, Fig. 3) and 0.8", []string{"0.49", "0.8"}},
		{"successor quote to sentence end", "lr 1e-2; successor: lr 2e-4, batch 1280. We use 256.", []string{"1e-2", "256"}},
		{"authors quote across a line", "width 16 (authors: 16,384 facts in 512 units,\nwhere 10% is 3.2× the width), 1.5×", []string{"16", "1.5"}},
		{"quote ends at a paragraph", "Paper: 45/45\n\nours 44", []string{"44"}},
		{"blockquote", "> The paper reports 1.29 facts per parameter.\nWe measure 0.12.", []string{"0.12"}},
	}
	for _, c := range cases {
		var got []string
		for _, n := range numbers(Claims(c.markdown)) {
			got = append(got, n.text)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Claims(%q) leaves %q, want %q", c.rule, c.markdown, got, c.want)
		}
	}
}

// A number typed into prose that the run does not print is reported; one the
// run prints (within the prose's precision), one that is a design constant in
// the code, and a paper quote are not.
func TestMarkdownCheckFindsDriftedNumber(t *testing.T) {
	run := "Log–log slopes: encdec 1.04, NTK 0.49\naccuracy 0.9990"
	code := "cfg := Config{Dim: 64, Seeds: []int{1, 2, 3}}"
	md := "At d = 64 the NTK slope is about 0.3 (paper: 0.5), encdec's 1.0; NTK reaches 99.9 %."
	if got, want := Unmatched(Claims(md), run, code), []string{"0.3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Unmatched = %q, want %q", got, want)
	}
}

func TestMarkdownCellsSplitsMarkdownFromCode(t *testing.T) {
	nb := `{"nbformat": 4, "cells": [
	 {"cell_type": "markdown", "source": ["# Title\n", "slope 1.04"]},
	 {"cell_type": "code", "source": "dim := 64"},
	 {"cell_type": "markdown", "source": "ρ = 0.5"}]}`
	md, code, err := MarkdownCells([]byte(nb))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"# Title\nslope 1.04", "ρ = 0.5"}; !reflect.DeepEqual(md, want) {
		t.Errorf("markdown = %q, want %q", md, want)
	}
	if !strings.Contains(code, "dim := 64") || strings.Contains(code, "slope") {
		t.Errorf("code = %q, want the code cell only", code)
	}
	if _, _, err := MarkdownCells([]byte("not json")); err == nil || !strings.Contains(err.Error(), "not a Jupyter notebook") {
		t.Errorf("MarkdownCells(not json) error = %v, want one saying it is not a notebook", err)
	}
}
