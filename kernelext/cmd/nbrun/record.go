package main

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
)

// The record of a run is the text a reader saw: every output of every cell
// (plain text, HTML with its tags removed, markdown), in order. The README's
// results table is checked against the record of the last `fast` run
// (results/fast/<notebook>.txt), so a number typed there cannot drift from
// what the notebooks compute.

// OutputText returns the text of every output of an executed notebook.
func OutputText(data []byte) (string, error) {
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return "", fmt.Errorf("%w: %v", errNotNotebook, err)
	}
	var b strings.Builder
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "stream":
				if o.Name == "stdout" {
					b.WriteString(multiline(o.Text))
					b.WriteString("\n")
				}
			case "display_data", "execute_result", "update_display_data":
				b.WriteString(displayText(o.Data))
				b.WriteString("\n")
			}
		}
	}
	return b.String(), nil
}

var (
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
	blankRuns = regexp.MustCompile(`[ \t]*\n[\s]*`)
	spaceRuns = regexp.MustCompile(`[ \t]+`)
)

// displayText is the readable text of one display output: markdown or
// plain text as is, HTML without tags; figures (SVG, PNG) are skipped.
func displayText(data map[string]json.RawMessage) string {
	if isFigure(data) {
		return ""
	}
	for _, mime := range []string{"text/markdown", "text/html", "text/plain"} {
		raw, ok := data[mime]
		if !ok {
			continue
		}
		s := multiline(raw)
		if mime == "text/html" {
			s = strings.NewReplacer("</td>", " </td>", "</th>", " </th>", "</tr>", "\n</tr>").Replace(s)
			s = html.UnescapeString(htmlTag.ReplaceAllString(s, " "))
		}
		return strings.TrimSpace(blankRuns.ReplaceAllString(spaceRuns.ReplaceAllString(s, " "), "\n"))
	}
	return ""
}

// record writes the output text of the executed notebook outNb to
// dir/<name>.txt, atomically.
func record(dir, name, outNb string) error {
	data, err := os.ReadFile(outNb)
	if err != nil {
		return err
	}
	text, err := OutputText(data)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(dir, name+".txt"), []byte(text))
}

// A number as written in prose or output: 16,384 · 0.996 · 1.5e-09 · 2.43.
var numberToken = regexp.MustCompile(`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+−]?\d+)?`)

// number is one number as printed: its text, value and the half-width of its
// last printed digit.
type number struct {
	text     string
	val, tol float64
}

func numbers(s string) []number {
	var out []number
	for _, tok := range numberToken.FindAllString(s, -1) {
		t := strings.ReplaceAll(strings.ReplaceAll(tok, ",", ""), "−", "-")
		v, err := strconv.ParseFloat(t, 64)
		if err != nil {
			continue
		}
		mant, exp := t, 0
		if i := strings.IndexAny(t, "eE"); i >= 0 {
			mant = t[:i]
			exp, _ = strconv.Atoi(t[i+1:])
		}
		decimals := 0
		if i := strings.IndexByte(mant, '.'); i >= 0 {
			decimals = len(mant) - i - 1
		}
		out = append(out, number{tok, v, 0.5 * math.Pow(10, float64(exp-decimals))})
	}
	return out
}

// Numbers returns every number in s with the half-width of its last printed
// digit (0.5 for "12", 0.005 for "0.99", 5e-10 for "1e-9").
func Numbers(s string) (vals, tols []float64) {
	for _, n := range numbers(s) {
		vals, tols = append(vals, n.val), append(tols, n.tol)
	}
	return vals, tols
}

// Unmatched returns the numbers of claim that appear in none of the sources,
// as a value within the claim's printed precision, or as a fraction the claim
// prints as a percentage (99.6 for 0.996).
func Unmatched(claim string, sources ...string) []string {
	var have []float64
	for _, s := range sources {
		for _, n := range numbers(s) {
			have = append(have, n.val)
		}
	}
	var missing []string
	for _, c := range numbers(claim) {
		found := false
		for _, h := range have {
			if math.Abs(h-c.val) <= c.tol*(1+1e-9) || math.Abs(100*h-c.val) <= c.tol*(1+1e-9) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, c.text)
		}
	}
	return missing
}
