package facts

import (
	"fmt"
	"strings"
)

// MultiRelations are phrasings for data sets with several relations per
// country (NewMultiDataset). Every phrasing names its relation with one
// word, the relation noun ("capital", "currency", "region", "language"),
// so that a fact's key can be (subject, relation): attention can carry
// both the subject and the relation noun to the query position. Each
// relation has 8 training and 2 held-out phrasings.
var MultiRelations = map[string]Relation{
	"capital": {Name: "capital",
		Train: []string{
			"The capital of {s} is {o}",
			"{s} 's capital is {o}",
			"The capital city of {s} is {o}",
			"{s} has its capital in {o}",
			"The capital of the country {s} is {o}",
			"{s} has its capital city in {o}",
			"In {s} the capital is {o}",
			"The country {s} has the capital {o}",
		},
		HeldOut: []string{
			"{s} 's capital city is {o}",
			"The country {s} has its capital city in {o}",
		}},
	"currency": {Name: "currency",
		Train: []string{
			"The currency of {s} is {o}",
			"{s} 's currency is {o}",
			"The official currency of {s} is {o}",
			"{s} has its currency in {o}",
			"The currency of the country {s} is {o}",
			"People of {s} pay with the currency {o}",
			"In {s} the currency is {o}",
			"The country {s} has the currency {o}",
		},
		HeldOut: []string{
			"{s} 's official currency is {o}",
			"The country {s} has its official currency in {o}",
		}},
	"region": {Name: "region",
		Train: []string{
			"The region of {s} is {o}",
			"{s} 's region is {o}",
			"The world region of {s} is {o}",
			"{s} has its region in {o}",
			"The region of the country {s} is {o}",
			"On a map {s} lies in the region {o}",
			"In {s} the region is {o}",
			"The country {s} has the region {o}",
		},
		HeldOut: []string{
			"{s} 's world region is {o}",
			"The country {s} lies in the world region {o}",
		}},
	"language": {Name: "language",
		Train: []string{
			"The language of {s} is {o}",
			"{s} 's language is {o}",
			"The official language of {s} is {o}",
			"{s} has its language in {o}",
			"The language of the country {s} is {o}",
			"People of {s} speak the language {o}",
			"In {s} the language is {o}",
			"The country {s} has the language {o}",
		},
		HeldOut: []string{
			"{s} 's official language is {o}",
			"The country {s} has its official language in {o}",
		}},
}

// NewMultiDataset builds one data set with a fact per (country, relation)
// for the given relations, phrased with MultiRelations. Facts are ordered
// relation by relation; FactRelation gives each fact's relation index into
// Rels and RelationTok its relation-noun token. Templates are the first
// relation's phrasings (every relation has as many); Sentence uses each
// fact's own relation.
func NewMultiDataset(rows []Country, rels []string) (*Dataset, error) {
	if len(rels) == 0 {
		return nil, fmt.Errorf("facts: no relations given; accepted: %s", RelationNames)
	}
	d := &Dataset{Vocab: &Vocab{}}
	words := map[string]bool{}
	seenRel := map[string]bool{}
	for _, name := range rels {
		r, ok := MultiRelations[name]
		if !ok {
			return nil, fmt.Errorf("facts: unknown relation %q; accepted: %s", name, RelationNames)
		}
		if seenRel[name] {
			return nil, fmt.Errorf("facts: relation %q given twice", name)
		}
		seenRel[name] = true
		ts := append(append([]string{}, r.Train...), r.HeldOut...)
		if len(d.Rels) > 0 && (len(r.Train) != d.NumTrain || len(ts) != len(d.Templates)) {
			return nil, fmt.Errorf("facts: relation %s has %d+%d phrasings; every relation needs %d+%d", name, len(r.Train), len(r.HeldOut), d.NumTrain, len(d.Templates)-d.NumTrain)
		}
		if len(d.Rels) == 0 {
			d.Relation, d.NumTrain, d.Templates = r, len(r.Train), ts
		}
		d.Rels = append(d.Rels, r)
		d.relTemplates = append(d.relTemplates, ts)
		for _, t := range ts {
			if !strings.Contains(t, "{s}") || !strings.HasSuffix(t, "{o}") || strings.Count(" "+t+" ", " "+name+" ") != 1 {
				return nil, fmt.Errorf("facts: template %q must contain {s}, end with {o} and name %q once", t, name)
			}
			for _, w := range Words(t) {
				if w != "{s}" && w != "{o}" {
					words[w] = true
				}
			}
		}
	}
	d.addWords(words)
	for ri, name := range rels {
		n, err := d.addFacts(rows, name)
		if err != nil {
			return nil, err
		}
		for range n {
			d.FactRelation = append(d.FactRelation, ri)
			d.RelationTok = append(d.RelationTok, d.Vocab.ID(KindWord, name))
		}
	}
	if len(d.Subjects) < 2 {
		return nil, fmt.Errorf("facts: %d usable facts; need at least 2", len(d.Subjects))
	}
	d.tokenizeFacts()
	return d, nil
}

// TemplateOf returns the phrasing t of fact i (its relation's in a
// multi-relation data set).
func (d *Dataset) TemplateOf(i, t int) string {
	if d.relTemplates != nil {
		return d.relTemplates[d.FactRelation[i]][t]
	}
	return d.Templates[t]
}
