package capacity

import "github.com/factmlp/factmlp/factmlp/widthsearch"

// Trial is widthsearch.Trial, one evaluated width of a capacity search.
type Trial = widthsearch.Trial
