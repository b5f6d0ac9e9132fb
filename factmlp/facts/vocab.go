package facts

import (
	"fmt"
	"sort"
	"strings"
)

// Token kinds.
const (
	KindWord    = "word"
	KindSubject = "subject"
	KindObject  = "object"
)

// Vocab is a word-level vocabulary in which every entity is one token.
// Subjects and objects are distinct tokens even when they are spelt alike
// (Singapore the country and Singapore the capital).
type Vocab struct {
	Text  []string // surface text of each token
	Kind  []string // KindWord, KindSubject or KindObject
	index map[string]int
}

func key(kind, text string) string { return kind + "\x00" + text }

func (v *Vocab) add(kind, text string) int {
	if v.index == nil {
		v.index = map[string]int{}
	}
	if id, ok := v.index[key(kind, text)]; ok {
		return id
	}
	id := len(v.Text)
	v.Text = append(v.Text, text)
	v.Kind = append(v.Kind, kind)
	v.index[key(kind, text)] = id
	return id
}

// Size is the number of tokens.
func (v *Vocab) Size() int { return len(v.Text) }

// ID returns the token of a word, subject or object, or -1.
func (v *Vocab) ID(kind, text string) int {
	if id, ok := v.index[key(kind, text)]; ok {
		return id
	}
	return -1
}

// Decode joins tokens' surface texts with spaces.
func (v *Vocab) Decode(toks []int) string {
	s := make([]string, len(toks))
	for i, t := range toks {
		if t >= 0 && t < len(v.Text) {
			s[i] = v.Text[t]
		} else {
			s[i] = "<?>"
		}
	}
	return strings.Join(s, " ")
}

// Encode tokenizes a prompt: known subject names (longest match first, so
// "South Africa" is one token), then words. Entities may span several
// space-separated words. Unknown words are an error naming the word.
func (v *Vocab) Encode(text string) ([]int, error) {
	words := strings.Fields(text)
	var out []int
	for i := 0; i < len(words); {
		matched := false
		for n := min(6, len(words)-i); n >= 1 && !matched; n-- {
			phrase := strings.Join(words[i:i+n], " ")
			for _, kind := range []string{KindSubject, KindObject} {
				if id := v.ID(kind, phrase); id >= 0 {
					out = append(out, id)
					i += n
					matched = true
					break
				}
			}
		}
		if matched {
			continue
		}
		if id := v.ID(KindWord, words[i]); id >= 0 {
			out = append(out, id)
			i++
			continue
		}
		return nil, fmt.Errorf("facts: unknown word %q; the vocabulary holds the template words, the subjects and the objects", words[i])
	}
	return out, nil
}

// Dataset is one relation over the country table, tokenized.
type Dataset struct {
	Relation Relation
	Vocab    *Vocab
	// Per fact (one per country): subject and object names and tokens.
	Subjects, Objects     []string
	SubjectTok, ObjectTok []int
	// ObjectTokens lists the distinct object tokens (the value set).
	ObjectTokens []int
	// Templates are the training phrasings followed by the held-out ones.
	Templates []string
	NumTrain  int
	// Multi-relation data sets (NewMultiDataset) only: the relations, each
	// fact's relation index and relation-noun token, and each relation's
	// phrasings.
	Rels         []Relation
	FactRelation []int
	RelationTok  []int
	relTemplates [][]string
}

// NewDataset builds the tokenized dataset of relation rel over rows.
// Countries with an empty object are skipped; subjects are unique.
func NewDataset(rows []Country, rel string) (*Dataset, error) {
	r, err := GetRelation(rel)
	if err != nil {
		return nil, err
	}
	probe := &Dataset{}
	if _, err := probe.addFacts(rows, rel); err != nil {
		return nil, err
	}
	if len(probe.Subjects) < 2 {
		return nil, fmt.Errorf("facts: relation %s has %d usable countries; need at least 2", rel, len(probe.Subjects))
	}
	return newSingleRelation(r, probe.Subjects, probe.Objects)
}

// newSingleRelation builds a data set of one relation from parallel
// subject and object names (subjects unique).
func newSingleRelation(r Relation, subjects, objects []string) (*Dataset, error) {
	d := &Dataset{Relation: r, Vocab: &Vocab{}, NumTrain: len(r.Train)}
	d.Templates = append(append([]string{}, r.Train...), r.HeldOut...)
	words := map[string]bool{}
	for _, t := range d.Templates {
		if strings.Count(" "+t+" ", " {s} ") != 1 || !strings.HasSuffix(t, " {o}") {
			return nil, fmt.Errorf("facts: template %q must contain {s} once and end with {o}", t)
		}
		for _, w := range Words(t) {
			if w != "{s}" && w != "{o}" {
				words[w] = true
			}
		}
	}
	if len(subjects) < 2 || len(subjects) != len(objects) {
		return nil, fmt.Errorf("facts: %d subjects and %d objects; need as many of each, at least 2", len(subjects), len(objects))
	}
	d.addWords(words)
	d.Subjects = append([]string{}, subjects...)
	d.Objects = append([]string{}, objects...)
	d.tokenizeFacts()
	return d, nil
}

// addFacts appends one fact per country with a non-empty object of relation
// rel (each country once) and returns how many it added.
func (d *Dataset) addFacts(rows []Country, rel string) (int, error) {
	seen := map[string]bool{}
	n := 0
	for _, c := range rows {
		o, err := c.Get(rel)
		if err != nil {
			return 0, err
		}
		if o == "" || c.Name == "" || seen[c.Name] {
			continue
		}
		seen[c.Name] = true
		d.Subjects = append(d.Subjects, c.Name)
		d.Objects = append(d.Objects, o)
		n++
	}
	return n, nil
}

// tokenizeFacts gives every subject and object its token, and lists the
// distinct object tokens (the value set) in first-seen order.
func (d *Dataset) tokenizeFacts() {
	for _, s := range d.Subjects {
		d.SubjectTok = append(d.SubjectTok, d.Vocab.add(KindSubject, s))
	}
	seen := map[int]bool{}
	for _, o := range d.Objects {
		id := d.Vocab.add(KindObject, o)
		d.ObjectTok = append(d.ObjectTok, id)
		if !seen[id] {
			seen[id] = true
			d.ObjectTokens = append(d.ObjectTokens, id)
		}
	}
}

// addWords adds the template words (all but {s} and {o}) to the vocabulary
// in sorted order, so token ids do not depend on map iteration.
func (d *Dataset) addWords(words map[string]bool) {
	ws := make([]string, 0, len(words))
	for w := range words {
		ws = append(ws, w)
	}
	sort.Strings(ws)
	for _, w := range ws {
		d.Vocab.add(KindWord, w)
	}
}

// Sentence tokenizes template t for fact i with object token obj (pass
// d.ObjectTok[i] for the true fact). The last token is obj.
func (d *Dataset) Sentence(i, t, obj int) []int {
	ws := Words(d.TemplateOf(i, t))
	out := make([]int, 0, len(ws))
	for _, w := range ws {
		switch w {
		case "{s}":
			out = append(out, d.SubjectTok[i])
		case "{o}":
			out = append(out, obj)
		default:
			out = append(out, d.Vocab.ID(KindWord, w))
		}
	}
	return out
}

// QueryWords are the words that precede "{o}" in some template.
func (d *Dataset) QueryWords() []string {
	set := map[string]bool{}
	for _, t := range d.Templates {
		ws := Words(t)
		set[ws[len(ws)-2]] = true
	}
	for _, ts := range d.relTemplates {
		for _, t := range ts {
			ws := Words(t)
			set[ws[len(ws)-2]] = true
		}
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// Default loads the capital relation over the gountries table.
func Default() (*Dataset, error) { return NewDataset(FromGountries(), "capital") }
