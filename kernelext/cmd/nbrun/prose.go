package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Numbers in a notebook's markdown cells are checked like the README's
// results table (TestNotebookMarkdownMatchesFastRun): every number a
// markdown cell states as a measurement must appear in the notebook's last
// fast run (results/fast/<notebook>.txt), within its printed precision, or
// in its code cells or sweep configs; a notebook with no recorded fast run may
// state none. Claims strips what is not a measurement first, so that what
// remains can be checked:
//
//   - maths in $…$ or $$…$$: it defines a quantity ($3d+2$, $\mathbb{R}^{16}$,
//     $\rho^{-2}$); a measured value belongs in the prose or in a cell's output;
//   - inline code and fenced code blocks: identifiers, flags and commands
//     (`GOEXPERIMENT=simd`, `make notebook SCALE=smoke`);
//   - headings: titles and section numbers;
//   - link targets and bare URLs (arXiv ids, GitHub paths); a link's text is checked;
//   - references: Fig. 2, Figs. 3–4, Figure 5, Eq. 3, Table 1, §7, Section 4.1,
//     Appendix C.2, Theorem 1, Lemma 2, Algorithm 1, arXiv 2512.00207, notebook 02,
//     notebooks 02 and 03, Exercise 1, et al. 2023 (a list after the first
//     reference continues with whole numbers only: "Table 2 and 0.91" keeps 0.91);
//   - numbered-list markers ("1. the bootstrap cell");
//   - quotes: a blockquote (lines starting with ">"), and the text after a
//     source label — "paper:", "successor:" or "authors:" (any case) — up to
//     the end of its parenthesis, sentence or paragraph. This is the one visible
//     convention for numbers quoted from the paper, the successor code or
//     another publication: "lr 10⁻² (successor: 10⁻³ for 10,000 epochs)". A
//     quote is not a measurement of ours, so no run can confirm it.
//
// Design constants the markdown names (d = 64, 3 seeds, F = 256…4096) need
// no exemption: they appear in the code cells or in the notebook's sweep
// configs (scripts/cluster/<scale>/<number>_*.json, the grids its cells
// load), which are sources too.

// A reference's number (4, 4.1, C.2, 3b) and a further one in a list ("Figs. 3 and 4", "§3–4").
const (
	refItem = `(?:[A-Z]\.?)?\d+(?:\.\d+)*[a-z]?`
	refMore = `[ \t]*(?:,|and|or|&|–|-|to)[ \t]*` + refItem
)

var (
	fencedCode  = regexp.MustCompile("(?s)```.*?```")
	displayMath = regexp.MustCompile(`(?s)\$\$.*?\$\$`)
	inlineMath  = regexp.MustCompile(`(?s)\$[^$]+\$`)
	inlineCode  = regexp.MustCompile("`[^`]*`")
	linkTarget  = regexp.MustCompile(`\]\([^)]*\)`)
	bareURL     = regexp.MustCompile(`https?://\S+`)
	heading     = regexp.MustCompile(`(?m)^[ \t]*#{1,6}[ \t].*$`)
	blockquote  = regexp.MustCompile(`(?m)^[ \t]*>.*$`)
	listMarker  = regexp.MustCompile(`(?m)^[ \t]*\d+[.)][ \t]`)
	paperQuote  = regexp.MustCompile(`(?i)\b(?:paper|successor|authors):[^)]*?(?:\)|\.(?:\s|$)|\n[ \t]*\n|$)`)
	reference   = regexp.MustCompile(`(?:\b(?i:figs?\.|figures?|eqs?\.|equations?|tables?|sections?|sec\.|appendix|app\.|theorems?|thms?\.|lemmas?|corollary|proposition|definition|algorithm|arxiv:?|notebooks?|exercises?|et\s+al\.,?)|§)\s*` +
		refItem + `(?:` + refMore + `)*`)
	refMoreItem   = regexp.MustCompile(`^` + refMore)
	refHead       = regexp.MustCompile(`(?s)^.*?` + refItem)
	decimalNumber = regexp.MustCompile(`\d\.\d`)
)

// Claims returns the text of one markdown cell with everything that is not a
// measurement removed (see the rules above); the numbers left in it are the
// ones a run must confirm.
func Claims(markdown string) string {
	s := fencedCode.ReplaceAllString(markdown, " ")
	s = displayMath.ReplaceAllString(s, " ")
	s = inlineMath.ReplaceAllString(s, " ")
	s = inlineCode.ReplaceAllString(s, " ")
	s = linkTarget.ReplaceAllString(s, "]")
	s = bareURL.ReplaceAllString(s, " ")
	s = heading.ReplaceAllString(s, " ")
	s = blockquote.ReplaceAllString(s, " ")
	s = listMarker.ReplaceAllString(s, " ")
	s = reference.ReplaceAllStringFunc(s, dropReference) // first: "Fig. 3" inside a quote does not end it
	s = paperQuote.ReplaceAllString(s, " ")
	return s
}

// MarkdownCells returns the source of every markdown cell of a notebook and
// the concatenated source of its code cells.
func MarkdownCells(data []byte) (markdown []string, code string, err error) {
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, "", fmt.Errorf("%w: %v", errNotNotebook, err)
	}
	var b strings.Builder
	for _, c := range nb.Cells {
		switch c.CellType {
		case "markdown":
			markdown = append(markdown, multiline(c.Source))
		case "code":
			b.WriteString(multiline(c.Source))
			b.WriteString("\n")
		}
	}
	return markdown, b.String(), nil
}

// dropReference blanks one reference with the list that follows it, but
// keeps the rest of the list from the first decimal number on: in "Table 2
// and 0.91" the 0.91 is a claim, not a table.
func dropReference(ref string) string {
	rest := ref
	if loc := refHead.FindStringIndex(ref); loc != nil {
		rest = ref[loc[1]:]
	}
	for {
		loc := refMoreItem.FindStringIndex(rest)
		if loc == nil || decimalNumber.MatchString(rest[:loc[1]]) {
			break
		}
		rest = rest[loc[1]:]
	}
	return " " + rest
}
