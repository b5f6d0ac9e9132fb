package contract

import (
	"fmt"
	"strings"
)

// Environment variables that steer a notebook's kernel (the runner sets
// ScaleEnv, FiguresDirEnv, HeadlessEnv and, with -fresh-cache, CacheDirEnv).
const (
	// ScaleEnv selects the problem size: one of Scales ("" is "fast").
	ScaleEnv = "FACTMLP_SCALE"
	// FiguresDirEnv names the folder where every shown figure is also saved.
	FiguresDirEnv = "FACTMLP_FIGURES_DIR"
	// CacheDirEnv overrides where cached notebook results are stored.
	CacheDirEnv = "FACTMLP_CACHE_DIR"
	// NoCacheEnv, set to a non-empty value other than "0", recomputes every cached result.
	NoCacheEnv = "FACTMLP_NO_CACHE"
	// MaxMemoryEnv is the notebooks' memory budget (e.g. "8GiB", "off").
	MaxMemoryEnv = "FACTMLP_MAX_MEMORY"
	// HeadlessEnv, set to a non-empty value other than "0", tells widgets
	// that no browser is attached (the runner sets it): they show their
	// initial view and return instead of waiting for the front end.
	HeadlessEnv = "FACTMLP_HEADLESS"
)

// FigureClass is the CSS class of the <div> wrapping every displayed figure;
// the runner counts figures by it.
const FigureClass = "factmlp-figure"

// FigureProblemsAttr is the attribute of a figure's <div> that lists, "; "
// separated, what plots.Check found wrong with it (absent when nothing);
// the runner fails a notebook whose figures carry it.
const FigureProblemsAttr = "data-figure-problems"

// Scales are the accepted values of ScaleEnv, smallest first.
var Scales = []string{"smoke", "fast", "paper"}

// DefaultScale is the scale when ScaleEnv is unset or empty.
const DefaultScale = "fast"

// CheckScale returns an error naming s and the accepted scales unless s is
// one of Scales.
func CheckScale(s string) error {
	for _, ok := range Scales {
		if s == ok {
			return nil
		}
	}
	return fmt.Errorf("scale %q not accepted; use %s", s, strings.Join(Scales, ", "))
}

// MaxCellLines is the longest code cell a notebook may have: longer
// experiment logic belongs in a library function the cell calls.
const MaxCellLines = 25

// CellLines counts the lines of a cell's source as an editor shows them (a
// final newline does not start another line).
func CellLines(src string) int {
	if src == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(src, "\n"), "\n") + 1
}
