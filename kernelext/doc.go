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
// # Environment
//
//	FACTMLP_SCALE        smoke | fast (default) | paper
//	FACTMLP_FIGURES_DIR  if set, ShowPlot also writes <name>.svg and <name>.png there
//	FACTMLP_CACHE_DIR    cache folder (default <repo>/.cache/factmlp)
//	FACTMLP_NO_CACHE=1   Cached always recomputes (and still stores)
//
// The names, the figure class the runner counts and the scale names live in
// package kernelext/contract, which the runner (kernelext/cmd/nbrun) shares.
package kernelext
