package facts

import (
	"strings"
	"testing"
)

func TestMultiDataset(t *testing.T) {
	rels := []string{"capital", "currency", "region", "language"}
	rows := FromGountries()
	d, err := NewMultiDataset(rows, rels)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Subjects) != len(rels)*len(rows) || len(d.FactRelation) != len(d.Subjects) || len(d.RelationTok) != len(d.Subjects) {
		t.Fatalf("%d facts for %d countries × %d relations", len(d.Subjects), len(rows), len(rels))
	}
	for i := range d.Subjects {
		rel := rels[d.FactRelation[i]]
		if d.Vocab.Text[d.RelationTok[i]] != rel {
			t.Fatalf("fact %d: relation token %q, relation %s", i, d.Vocab.Text[d.RelationTok[i]], rel)
		}
		want, _ := rows[i%len(rows)].Get(rel)
		if d.Subjects[i] != rows[i%len(rows)].Name || d.Objects[i] != want {
			t.Fatalf("fact %d: %s → %s; want %s → %s", i, d.Subjects[i], d.Objects[i], rows[i%len(rows)].Name, want)
		}
		for tpl := range d.Templates {
			s := d.Sentence(i, tpl, d.ObjectTok[i])
			n := 0
			for _, tok := range s {
				if tok == d.RelationTok[i] {
					n++
				}
			}
			if n != 1 || s[len(s)-1] != d.ObjectTok[i] || !strings.Contains(d.Vocab.Decode(s), d.Subjects[i]) {
				t.Fatalf("fact %d phrasing %d: %q", i, tpl, d.Vocab.Decode(s))
			}
		}
	}
	if _, err := NewMultiDataset(rows, []string{"capital", "population"}); err == nil || !strings.Contains(err.Error(), "population") {
		t.Fatalf("unknown relation: %v", err)
	}
	if _, err := NewMultiDataset(rows, nil); err == nil {
		t.Fatal("no relations accepted")
	}
}
