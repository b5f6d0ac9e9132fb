package capacity

import "github.com/factmlp/factmlp/factmlp/widthsearch"

// Trial is widthsearch.Trial, one evaluated width of a capacity search.
type Trial = widthsearch.Trial

// Predicate is widthsearch.Predicate.
//
// Deprecated: use widthsearch.Predicate.
type Predicate = widthsearch.Predicate

// SearchOptions is widthsearch.Options.
//
// Deprecated: use widthsearch.Options.
type SearchOptions = widthsearch.Options

// SearchResult is widthsearch.Result.
//
// Deprecated: use widthsearch.Result.
type SearchResult = widthsearch.Result

// Search is widthsearch.Search.
//
// Deprecated: use widthsearch.Search; the width search has one home there.
func Search(pred Predicate, opts SearchOptions) (*SearchResult, error) {
	return widthsearch.Search(pred, opts)
}
