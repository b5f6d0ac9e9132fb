package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/kernelext/contract"
)

func nbJSON(t *testing.T, promised int, outputs ...[]map[string]any) []byte {
	t.Helper()
	var cells []any
	cells = append(cells, map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": "# t"})
	for _, outs := range outputs {
		cells = append(cells, map[string]any{"cell_type": "code", "metadata": map[string]any{"execution": map[string]string{
			"iopub.execute_input": "2026-11-22T12:00:00.000000Z", "shell.execute_reply": "2026-11-22T12:00:02.500000Z"}},
			"outputs": outs, "source": []string{"%%\n"}})
	}
	nb := map[string]any{"nbformat": 4, "nbformat_minor": 5, "cells": cells,
		"metadata": map[string]any{"factmlp": map[string]any{"figures": promised}}}
	b, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnalyzeCountsFiguresAndTiming(t *testing.T) {
	fig := map[string]any{"output_type": "display_data", "data": map[string]any{"text/html": []string{`<div class="factmlp-figure" data-figure="a">`, "<svg></svg></div>"}}}
	png := map[string]any{"output_type": "display_data", "data": map[string]any{"image/png": "iVBOR"}}
	txt := map[string]any{"output_type": "stream", "name": "stdout", "text": "hello"}
	warn := map[string]any{"output_type": "stream", "name": "stderr", "text": "warning: slow\n"}
	a, err := Analyze(nbJSON(t, 2, []map[string]any{fig, txt}, []map[string]any{png, warn}))
	if err != nil {
		t.Fatal(err)
	}
	if a.Figures != 2 || a.Promised != 2 || a.CodeCells != 2 || len(a.Errors) != 0 || a.SlowestCell != 2.5 {
		t.Errorf("analysis = %+v", a)
	}
}

// A figure that kernelext marked with plots.Check's problems fails the
// notebook under -check, naming the cell and the figure.
func TestAnalyzeFigureProblems(t *testing.T) {
	bad := map[string]any{"output_type": "display_data", "data": map[string]any{"text/html": `<div class="factmlp-figure" data-figure="cap" ` +
		contract.FigureProblemsAttr + `="no x-axis label; literal subscript in &#34;v_0&#34;" style="">` + "<svg></svg></div>"}}
	good := map[string]any{"output_type": "display_data", "data": map[string]any{"text/html": `<div class="factmlp-figure" data-figure="ok"><svg></svg></div>`}}
	a, err := Analyze(nbJSON(t, 2, []map[string]any{good}, []map[string]any{bad}))
	if err != nil {
		t.Fatal(err)
	}
	want := `cell 3: figure cap: no x-axis label; literal subscript in "v_0"`
	if a.Figures != 2 || len(a.FigureProblems) != 1 || a.FigureProblems[0] != want {
		t.Fatalf("figures %d, problems %q; want 2 and [%q]", a.Figures, a.FigureProblems, want)
	}
	r := result{Analysis: a}
	if !r.OK(false) || r.OK(true) {
		t.Errorf("figure problems: ok without -check %v (want true), with -check %v (want false)", r.OK(false), r.OK(true))
	}
}

func TestAnalyzeErrors(t *testing.T) {
	errOut := map[string]any{"output_type": "error", "ename": "ERROR", "evalue": "exit status 1", "traceback": []string{}}
	panic1 := map[string]any{"output_type": "stream", "name": "stderr", "text": "panic: "}
	panic2 := map[string]any{"output_type": "stream", "name": "stderr", "text": []string{"boom\n", "\n", "goroutine 1 [running]:\n"}}
	a, err := Analyze(nbJSON(t, 1, []map[string]any{errOut}, []map[string]any{panic1, panic2}))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Errors) != 2 || !strings.Contains(a.Errors[0], "cell 2: error ERROR: exit status 1") || !strings.Contains(a.Errors[1], "cell 3: Go panic on stderr: panic: boom") {
		t.Errorf("errors = %q", a.Errors)
	}
	r := result{Analysis: a}
	if r.OK(false) {
		t.Error("notebook with errors reported ok")
	}
	r = result{Analysis: Analysis{Figures: 0, Promised: 1}}
	if !r.OK(false) || r.OK(true) {
		t.Error("missing figures must fail only with -check")
	}
}

func TestAnalyzeLongCell(t *testing.T) {
	long := strings.Repeat("x := 1\n", 26)
	nb := map[string]any{"nbformat": 4, "cells": []any{
		map[string]any{"cell_type": "markdown", "source": long},
		map[string]any{"cell_type": "code", "source": strings.Repeat("x := 1\n", 25)},
		map[string]any{"cell_type": "code", "source": strings.Split(long, "\n")},
	}}
	data, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	// Sources as lists keep their newlines in nbformat; rebuild that form for cell 3.
	data = bytes.ReplaceAll(data, []byte(`"x := 1",`), []byte(`"x := 1\n",`))
	a, err := Analyze(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Errors) != 1 || a.Errors[0] != "cell 3: code cell has 26 lines, more than 25; move the logic into a library function" {
		t.Errorf("errors = %q; want one naming cell 3 (26 lines); a markdown cell and a 25-line code cell are fine", a.Errors)
	}
}

func TestAnalyzeRejectsNonNotebook(t *testing.T) {
	if _, err := Analyze([]byte(`{"cells": []}`)); err == nil {
		t.Error("nbformat 0 accepted")
	}
	if _, err := Analyze([]byte(`not json`)); err == nil {
		t.Error("garbage accepted")
	}
}

// The committed notebooks must be valid nbformat 4, declare the GoNB kernel,
// promise their figures, have the bootstrap cell, no stored error outputs and
// no code cell longer than contract.MaxCellLines.
func TestCommittedNotebooks(t *testing.T) {
	displayName := kernelDisplayName(t)
	nbs, err := filepath.Glob("../../../notebooks/*.ipynb")
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks found under ../../../notebooks (glob error: %v)", err)
	}
	for _, p := range nbs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Analyze(data)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		var nb struct {
			Metadata struct {
				Kernelspec struct{ Name string }   `json:"kernelspec"`
				Factmlp    *struct{ Figures *int } `json:"factmlp"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(data, &nb); err != nil {
			t.Errorf("%s: metadata: %v", p, err)
			continue
		}
		if nb.Metadata.Kernelspec.Name != "gonb" {
			t.Errorf("%s: kernelspec name %q, want gonb", p, nb.Metadata.Kernelspec.Name)
		}
		if nb.Metadata.Factmlp == nil || nb.Metadata.Factmlp.Figures == nil {
			t.Errorf(`%s: metadata lacks {"factmlp": {"figures": N}}`, p)
		}
		if !bytes.Contains(data, []byte("go work use")) || !bytes.Contains(data, []byte("%goworkfix")) {
			t.Errorf("%s: no bootstrap cell (go work use ... / %%goworkfix)", p)
		}
		if len(a.Errors) > 0 {
			t.Errorf("%s: %q", p, a.Errors)
		}
		if err := checkCanonical(data, displayName); err != nil {
			t.Errorf("%s: not canonical (opening it in JupyterLab would rewrite it): %v; "+
				"run .venv/bin/python scripts/canonical-notebooks.py", p, err)
		}
	}
}

// kernelDisplayName is the display_name scripts/install-kernel.sh writes into
// the GoNB kernel spec; JupyterLab copies it into a notebook's kernelspec.
func kernelDisplayName(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../../scripts/install-kernel.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`spec\["display_name"\] = "([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal(`scripts/install-kernel.sh: no spec["display_name"] = "..." line`)
	}
	return string(m[1])
}

// checkCanonical reports how data differs from the form JupyterLab saves
// (scripts/canonical-notebooks.py writes it): cell ids, no outputs, the
// installed kernelspec, GoNB's language_info block, and nbformat's JSON
// layout (indent 1, sorted keys, non-ASCII unescaped, trailing newline).
func checkCanonical(data []byte, displayName string) error {
	var nb map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&nb); err != nil {
		return err
	}
	if nb["nbformat"] != json.Number("4") || nb["nbformat_minor"] != json.Number("5") {
		return fmt.Errorf("nbformat %v.%v, want 4.5", nb["nbformat"], nb["nbformat_minor"])
	}
	meta, _ := nb["metadata"].(map[string]any)
	ks, _ := json.Marshal(meta["kernelspec"])
	if want := fmt.Sprintf(`{"display_name":%q,"language":"go","name":"gonb"}`, displayName); string(ks) != want {
		return fmt.Errorf("kernelspec %s, want %s (scripts/install-kernel.sh)", ks, want)
	}
	li, _ := meta["language_info"].(map[string]any)
	version, _ := li["version"].(string)
	if !strings.HasPrefix(version, "go") {
		return fmt.Errorf("language_info.version %q, want GoNB's Go version (go1.x)", version)
	}
	lib, _ := json.Marshal(li)
	if want := `{"codemirror_mode":"","file_extension":".go","mimetype":"text/x-go","name":"go","nbconvert_exporter":"","pygments_lexer":"","version":"` + version + `"}`; string(lib) != want {
		return fmt.Errorf("language_info %s, want GoNB's %s", lib, want)
	}
	cells, _ := nb["cells"].([]any)
	ids := map[string]bool{}
	for i, c := range cells {
		cell, _ := c.(map[string]any)
		id, _ := cell["id"].(string)
		if id == "" || ids[id] {
			return fmt.Errorf("cell %d: missing or duplicate id %q", i+1, id)
		}
		ids[id] = true
		if cell["cell_type"] == "code" {
			if outs, _ := cell["outputs"].([]any); cell["outputs"] == nil || len(outs) > 0 || cell["execution_count"] != nil {
				return fmt.Errorf("cell %d: outputs or execution_count stored (nbstripout strips them on commit)", i+1)
			}
		}
		if m, _ := cell["metadata"].(map[string]any); m != nil {
			for _, k := range []string{"execution", "ExecuteTime", "collapsed", "scrolled"} {
				if _, ok := m[k]; ok {
					return fmt.Errorf("cell %d: run metadata %q stored", i+1, k)
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb); err != nil {
		return err
	}
	if !bytes.Equal(buf.Bytes(), data) {
		got, want := strings.Split(string(data), "\n"), strings.Split(buf.String(), "\n")
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				return fmt.Errorf("JSON layout differs from nbformat's (indent 1, sorted keys) at line %d: %q, want %q", i+1, clip(got[i]), clip(want[i]))
			}
		}
		return fmt.Errorf("JSON layout differs from nbformat's: %d lines, want %d (trailing newline?)", len(got), len(want))
	}
	return nil
}

// checkCanonical must reject what JupyterLab or a run would rewrite.
func TestCheckCanonicalRejects(t *testing.T) {
	good, err := os.ReadFile("../../../notebooks/00_getting_started.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	const dn = "Go (gonb, factmlp)"
	if err := checkCanonical(good, dn); err != nil {
		t.Fatalf("committed 00_getting_started: %v", err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, good); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"display name": bytes.Replace(good, []byte(`"Go (gonb, factmlp)"`), []byte(`"Go (gonb)"`), 1),
		"missing id":   bytes.Replace(good, []byte(`"id": "c01",`), nil, 1),
		"output":       bytes.Replace(good, []byte(`"outputs": [],`), []byte(`"outputs": [{"name": "stdout", "output_type": "stream", "text": "x"}],`), 1),
		"layout":       compact.Bytes(),
		"no newline":   bytes.TrimSuffix(good, []byte("\n")),
		"key order":    bytes.Replace(good, []byte("\"nbformat\": 4,\n \"nbformat_minor\": 5"), []byte("\"nbformat_minor\": 5,\n \"nbformat\": 4"), 1),
	}
	for name, data := range cases {
		if bytes.Equal(data, good) {
			t.Errorf("%s: test edit did not apply", name)
			continue
		}
		if err := checkCanonical(data, dn); err == nil {
			t.Errorf("%s: accepted a non-canonical notebook", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// clip shortens a line for an error message.
func clip(s string) string {
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}
