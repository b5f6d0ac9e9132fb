// Package bookauthors ships book_authors.csv (the first 16,384 rows of the
// book→author table of HazyResearch/hebbian-mlps, Apache-2.0; see SOURCE.md
// and LICENSE beside this file) inside the binaries that use it, so that
// the fact set loads from any working directory. Parse it with
// factmlp/facts.ReadBooks.
package bookauthors

import (
	"bytes"
	_ "embed"
	"io"
)

//go:embed book_authors.csv
var csvData []byte

// Rows is the number of data rows in the shipped CSV.
const Rows = 16384

// Open returns a reader over the CSV (header line first).
func Open() io.Reader { return bytes.NewReader(csvData) }
