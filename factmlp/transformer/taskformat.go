package transformer

import (
	"fmt"
	"strings"
)

// Format writes sequence i of b as the notebooks show it: f<k> a fact
// token, j<k> a junk token, Q the query, · padding.
func (t Task) Format(b Batch, i int) string {
	var s []string
	for _, tok := range b.Tokens[i*b.SeqLen : (i+1)*b.SeqLen] {
		switch k := int(tok); {
		case k < t.Facts:
			s = append(s, fmt.Sprintf("f%d", k))
		case k == t.Query():
			s = append(s, "Q")
		case k == t.Pad():
			s = append(s, "·")
		default:
			s = append(s, fmt.Sprintf("j%d", k-t.Facts))
		}
	}
	return strings.Join(s, " ")
}
