// Package progress is how long-running factmlp computations report progress
// without depending on where they run: a notebook (kernelext shows an
// updating bar), the CLI (a line on stderr) or a test (nothing).
package progress
