// Package contract holds what the notebooks (through package kernelext) and
// the notebook runner (kernelext/cmd/nbrun) agree on: the environment
// variables the runner sets, the CSS class that marks a displayed figure, the
// scale names and the longest code cell the course allows.
//
// It depends on nothing, so the runner can use it without building the
// notebook-side packages.
package contract
