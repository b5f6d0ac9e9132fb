package main

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/factmlp/factmlp/kernelext/contract"
)

// Analysis is what nbrun checks in an executed notebook.
type Analysis struct {
	CodeCells int
	Figures   int // outputs that show a figure
	Promised  int // metadata factmlp.figures
	// FigureProblems: one line per shown figure that plots.Check found
	// fault with (contract.FigureProblemsAttr); they fail the notebook with -check.
	FigureProblems []string
	Errors         []string // one line per error output, panic or over-long code cell
	SlowestCell    float64  // seconds
	MedianCell     float64  // seconds
}

type notebook struct {
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"`
		Metadata struct {
			Execution map[string]string `json:"execution"`
		} `json:"metadata"`
		Outputs []struct {
			OutputType string                     `json:"output_type"`
			Name       string                     `json:"name"`
			Text       json.RawMessage            `json:"text"`
			Data       map[string]json.RawMessage `json:"data"`
			Ename      string                     `json:"ename"`
			Evalue     string                     `json:"evalue"`
		} `json:"outputs"`
	} `json:"cells"`
	Metadata struct {
		Factmlp struct {
			Figures int `json:"figures"`
		} `json:"factmlp"`
	} `json:"metadata"`
	NBFormat int `json:"nbformat"`
}

// multiline decodes a notebook string field: a string or a list of strings.
func multiline(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var l []string
	if json.Unmarshal(raw, &l) == nil {
		return strings.Join(l, "")
	}
	return ""
}

var goPanic = regexp.MustCompile(`(?m)^(panic: |fatal error: |goroutine \d+ \[|Traceback \(most recent call last\))`)

// Analyze checks a notebook (.ipynb JSON), executed or not. Cells are
// numbered from 1 in its messages, as Jupyter shows them.
func Analyze(data []byte) (Analysis, error) {
	var nb notebook
	var a Analysis
	if err := json.Unmarshal(data, &nb); err != nil {
		return a, fmt.Errorf("%w: %v", errNotNotebook, err)
	}
	if nb.NBFormat != 4 {
		return a, fmt.Errorf("%w: nbformat %d, want 4", errNotNotebook, nb.NBFormat)
	}
	a.Promised = nb.Metadata.Factmlp.Figures
	var secs []float64
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		a.CodeCells++
		if n := contract.CellLines(multiline(c.Source)); n > contract.MaxCellLines {
			a.Errors = append(a.Errors, fmt.Sprintf("cell %d: code cell has %d lines, more than %d; move the logic into a library function", i+1, n, contract.MaxCellLines))
		}
		if s, ok := cellSeconds(c.Metadata.Execution); ok {
			secs = append(secs, s)
		}
		var stderr strings.Builder
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "error":
				a.Errors = append(a.Errors, fmt.Sprintf("cell %d: error %s: %s", i+1, o.Ename, firstLine(o.Evalue)))
			case "stream":
				if o.Name == "stderr" {
					stderr.WriteString(multiline(o.Text))
				}
			case "display_data", "execute_result", "update_display_data":
				if isFigure(o.Data) {
					a.Figures++
					for _, m := range figureProblems.FindAllStringSubmatch(multiline(o.Data["text/html"]), -1) {
						a.FigureProblems = append(a.FigureProblems, fmt.Sprintf("cell %d: figure %s: %s", i+1, html.UnescapeString(m[1]), html.UnescapeString(m[2])))
					}
				}
			}
		}
		if t := stderr.String(); goPanic.MatchString(t) {
			loc := goPanic.FindStringIndex(t)
			a.Errors = append(a.Errors, fmt.Sprintf("cell %d: Go panic on stderr: %s", i+1, firstLine(t[loc[0]:])))
		}
	}
	if len(secs) > 0 {
		sort.Float64s(secs)
		a.SlowestCell = secs[len(secs)-1]
		a.MedianCell = secs[len(secs)/2]
	}
	return a, nil
}

// figureProblems matches a figure's name and its problem list in the HTML
// that kernelext.FigureHTML writes.
var figureProblems = regexp.MustCompile(`data-figure="([^"]*)" ` + contract.FigureProblemsAttr + `="([^"]*)"`)

func isFigure(data map[string]json.RawMessage) bool {
	if _, ok := data["image/png"]; ok {
		return true
	}
	if _, ok := data["image/svg+xml"]; ok {
		return true
	}
	if raw, ok := data["text/html"]; ok {
		h := multiline(raw)
		return strings.Contains(h, `class="`+contract.FigureClass+`"`) || strings.Contains(h, "<svg") || strings.Contains(h, "<img")
	}
	return false
}

func cellSeconds(ex map[string]string) (float64, bool) {
	a, b := ex["iopub.execute_input"], ex["shell.execute_reply"]
	if a == "" || b == "" {
		return 0, false
	}
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return tb.Sub(ta).Seconds(), true
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
