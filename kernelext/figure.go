package kernelext

import (
	"cmp"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/kernelext/contract"
	"github.com/factmlp/factmlp/plots"
	"gonum.org/v1/plot"
)

// FiguresDirEnv names the folder where ShowPlot also saves every figure as
// SVG and PNG (the main job sets it per notebook to collect figures).
const FiguresDirEnv = contract.FiguresDirEnv

// FigureClass is the CSS class of the <div> wrapping every figure ShowPlot
// displays; the notebook test counts figures by it.
const FigureClass = contract.FigureClass

var (
	figMu    sync.Mutex
	figNames = map[string]int{}
)

// Slug turns a title into a file name: lower case, [a-z0-9-], at most 60
// characters (diskcache.Slug); "figure" if nothing is left.
func Slug(s string) string { return cmp.Or(diskcache.Slug(s), "figure") }

// ShowPlot displays p inline (SVG at the shared plots size) and, when
// FACTMLP_FIGURES_DIR is set, saves it there as <name>.svg and <name>.png
// with name = Slug(p's title). Use ShowPlotNamed to choose the name.
// Failures end the cell with a clear message (see Fatal).
func ShowPlot(p *plot.Plot) {
	title := ""
	if p != nil {
		title = p.Title.Text
	}
	ShowPlotNamed(Slug(title), p)
}

// ShowPlotNamed is ShowPlot with an explicit, stable file name (no
// extension). A name used twice in one program gets a "-2", "-3"... suffix.
func ShowPlotNamed(name string, p *plot.Plot) {
	if _, err := ShowPlotFiles(name, p); err != nil {
		Fatal(err)
	}
}

// ShowPlotFiles is ShowPlotNamed returning an error instead of stopping, and
// the paths of the files written (none when FACTMLP_FIGURES_DIR is unset).
//
// Every figure is checked with plots.Check (title, axis labels, data,
// labelled ticks, literal subscripts, legend over data). A figure with
// problems is still shown, with the problems in a red line under it and in
// its contract.FigureProblemsAttr attribute, which makes the notebook
// runner (nbrun -check, the notebook test) fail.
func ShowPlotFiles(name string, p *plot.Plot) ([]string, error) {
	if p == nil {
		return nil, fmt.Errorf("kernelext: ShowPlot(%q): nil plot", name)
	}
	name = uniqueName(Slug(name))
	svg, err := plots.Render(p, "svg")
	if err != nil {
		return nil, fmt.Errorf("kernelext: ShowPlot(%q): %w", name, err)
	}
	var files []string
	if dir := os.Getenv(FiguresDirEnv); dir != "" {
		svgPath := filepath.Join(dir, name+".svg")
		if err := atomicfile.WriteBytes(svgPath, svg); err != nil {
			return nil, fmt.Errorf("kernelext: ShowPlot(%q): saving figure: %w", name, err)
		}
		pngPath := filepath.Join(dir, name+".png")
		if err := plots.Save(p, pngPath); err != nil {
			return nil, fmt.Errorf("kernelext: ShowPlot(%q): saving figure: %w", name, err)
		}
		files = []string{svgPath, pngPath}
	}
	problems := plots.Check(p)
	text := fmt.Sprintf("[figure %s: %q]", name, p.Title.Text)
	if len(files) > 0 {
		text += " saved to " + strings.Join(files, ", ")
	}
	if len(problems) > 0 {
		text += "\nfigure check: " + strings.Join(problems, "; ")
	}
	emit(Payload{MIME: MIMEHTML, Data: FigureHTML(name, svg, problems...), Text: text})
	return files, nil
}

// FigureHTML wraps an SVG document for inline display: a <div> with class
// FigureClass and data-figure=name, scaled down to the cell width if needed.
// Problems (from plots.Check) go into the contract.FigureProblemsAttr
// attribute and a red line under the figure.
func FigureHTML(name string, svg []byte, problems ...string) string {
	s := string(svg)
	// Drop the XML prolog: it is not valid inside HTML.
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	if len(problems) == 0 {
		return fmt.Sprintf(`<div class="%s" data-figure="%s" style="max-width:100%%;overflow-x:auto">%s</div>`,
			FigureClass, html.EscapeString(name), s)
	}
	list := html.EscapeString(strings.Join(problems, "; "))
	return fmt.Sprintf(`<div class="%s" data-figure="%s" %s="%s" style="max-width:100%%;overflow-x:auto">%s`+
		`<p style="color:#b00000">figure check: %s</p></div>`,
		FigureClass, html.EscapeString(name), contract.FigureProblemsAttr, list, s, list)
}

func uniqueName(name string) string {
	figMu.Lock()
	defer figMu.Unlock()
	figNames[name]++
	if n := figNames[name]; n > 1 {
		return fmt.Sprintf("%s-%d", name, n)
	}
	return name
}
