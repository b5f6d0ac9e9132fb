// Package kernelext is the GoNB notebook integration every factmlp notebook
// uses. It shows gonum plots, tables, Markdown and progress bars in a GoNB
// (Jupyter) notebook, picks the problem scale from FACTMLP_SCALE, and caches
// slow results on disk. Outside a notebook (tests, the CLI, `go run`) every
// function still works: displays become plain text on stdout, progress
// becomes lines on stderr.
//
// # Bootstrap
//
// A notebook in notebooks/ reaches this repository's packages (the working
// copy, whatever path it was cloned to) through one first cell:
//
//	!*rm -f go.work && go work init && go work use . "${GONB_DIR}/.."
//	%goworkfix
//
// See notebooks/README.md for the full notebook conventions.
//
// # Play and exercises
//
// Slider and Interact make a cell interactive with GoNB widgets (sliders,
// drop-down menus): each move redraws a View (Markdown, figures, a table)
// computed from results a sweep cached before, so it answers at once. Run
// headless (FACTMLP_HEADLESS, which the notebook runner sets) they show the
// initial view. CheckAnswer and CheckText are the check cells of exercises:
// right, not right yet (with a hint), or not answered yet for NoAnswer.
//
// # Figures
//
// ShowPlot checks every figure with plots.Check (axis labels, data, legend
// over data, ...) and marks problems so that the notebook runner fails.
//
// # Environment
//
//	FACTMLP_SCALE        smoke | fast (default) | paper
//	FACTMLP_FIGURES_DIR  if set, ShowPlot also writes <name>.svg and <name>.png there
//	FACTMLP_CACHE_DIR    cache folder (default <repo>/.cache/factmlp)
//	FACTMLP_NO_CACHE=1   Cached always recomputes (and still stores)
//	FACTMLP_HEADLESS=1   interactive cells show their initial view and return
//
// The names, the figure class the runner counts and the scale names live in
// package kernelext/contract, which the runner (kernelext/cmd/nbrun) shares.
package kernelext
