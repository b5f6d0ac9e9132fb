package facts

import (
	"fmt"
	"strings"
)

// Relation is one relation's phrasings. Every template contains "{s}"
// (the subject country) and ends with "{o}" (the object), so the object is
// always the last token: the token the model must predict. Words are
// separated by spaces; "{s}" and "{o}" become single entity tokens.
//
// Train holds the phrasings a base model is trained on; HeldOut phrasings
// are never trained on and test paraphrase generalisation. The word that
// precedes "{o}" (the query word) is one of a few words ("is", "in",
// "with", ...) that never occur elsewhere in a template, so a model can tell
// a fact position from the other positions by its current token.
type Relation struct {
	Name           string
	Train, HeldOut []string
}

// Relations lists the phrasings of the four relations in the table.
var Relations = map[string]Relation{
	"capital": {Name: "capital",
		Train: []string{
			"The capital of {s} is {o}",
			"{s} 's capital is {o}",
			"The capital city of {s} is {o}",
			"{s} has its capital in {o}",
			"The seat of government of {s} is {o}",
			"The government of {s} sits in {o}",
			"The capital of the country {s} is {o}",
			"{s} has its seat of government in {o}",
		},
		HeldOut: []string{
			"{s} 's capital city is {o}",
			"The seat of the government of {s} is {o}",
			"The country {s} has its capital city in {o}",
		}},
	"currency": {Name: "currency",
		Train: []string{
			"The currency of {s} is {o}",
			"{s} 's currency is {o}",
			"The official currency of {s} is {o}",
			"In the country {s} people pay with {o}",
			"The money used by the country {s} is {o}",
			"Shops of {s} take payment in {o}",
			"The currency code of {s} is {o}",
			"{s} has its prices in {o}",
		},
		HeldOut: []string{
			"{s} 's official currency is {o}",
			"People of {s} pay with {o}",
		}},
	"region": {Name: "region",
		Train: []string{
			"The region of {s} is {o}",
			"{s} 's region is {o}",
			"{s} lies in {o}",
			"The location of {s} is {o}",
			"{s} can be found in {o}",
			"On a map {s} lies in {o}",
			"The world region of {s} is {o}",
			"{s} belongs to {o}",
		},
		HeldOut: []string{
			"The country {s} lies in {o}",
			"{s} 's world region is {o}",
		}},
	"language": {Name: "language",
		Train: []string{
			"The language of {s} is {o}",
			"{s} 's language is {o}",
			"The official language of {s} is {o}",
			"People in the country {s} speak {o}",
			"The main language of {s} is {o}",
			"In the country {s} the language is {o}",
			"A language spoken in {s} is {o}",
			"Children of {s} learn {o}",
		},
		HeldOut: []string{
			"{s} 's official language is {o}",
			"People of {s} speak {o}",
		}},
}

// RelationNames lists the accepted relation names.
const RelationNames = "capital, currency, region, language"

// GetRelation returns the named relation or an error naming the accepted
// ones.
func GetRelation(name string) (Relation, error) {
	r, ok := Relations[name]
	if !ok {
		return Relation{}, fmt.Errorf("facts: unknown relation %q; accepted: %s", name, RelationNames)
	}
	return r, nil
}

// Words splits a template into words, keeping "{s}" and "{o}".
func Words(template string) []string { return strings.Fields(template) }
