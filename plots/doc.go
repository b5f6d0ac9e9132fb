// Package plots is the one figure style shared by every factmlp notebook:
// a fixed colour and marker per method name (gd, encdec, encdec-gd, ntk,
// swap, memit, rome, alphaedit, ...), log–log axes with power-of-two ticks,
// power-law fits drawn as dashed lines with the slope and R² in the legend,
// and error bars over seeds. Builders return *plot.Plot (gonum.org/v1/plot);
// Save writes SVG, PNG or PDF atomically.
//
// Topic-specific figure builders live in their own files, plots/<topic>.go.
// This package never imports kernelext: notebooks show a plot with
// kernelext.ShowPlot.
package plots
