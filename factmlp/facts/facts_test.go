package facts

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestCSVMatchesGountries(t *testing.T) {
	rows := FromGountries()
	if len(rows) < 200 {
		t.Fatalf("only %d countries from gountries; expected about 240", len(rows))
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	disk, err := os.ReadFile("../../data/countries.csv")
	if err != nil {
		t.Fatalf("data/countries.csv missing (rebuild with go run ./data/gen): %v", err)
	}
	if !bytes.Equal(disk, buf.Bytes()) {
		t.Fatal("data/countries.csv differs from what gountries gives; rebuild with go run ./data/gen")
	}
	back, err := ReadCSV(bytes.NewReader(disk))
	if err != nil || len(back) != len(rows) || back[0] != rows[0] {
		t.Fatalf("round trip failed: %v", err)
	}
	if _, err := ReadCSV(strings.NewReader("a,b\n")); err == nil {
		t.Fatal("bad header accepted")
	}
}

func TestTemplates(t *testing.T) {
	for name, r := range Relations {
		if len(r.Train) < 8 || len(r.HeldOut) < 2 {
			t.Errorf("%s: %d train and %d held-out phrasings; need ≥ 8 and ≥ 2", name, len(r.Train), len(r.HeldOut))
		}
		d, err := NewDataset(FromGountries(), name)
		if err != nil {
			t.Fatal(err)
		}
		q := map[string]bool{}
		for _, w := range d.QueryWords() {
			q[w] = true
		}
		for _, tpl := range d.Templates {
			ws := Words(tpl)
			for _, w := range ws[:len(ws)-2] {
				if q[w] {
					t.Errorf("%s: query word %q occurs mid-template in %q", name, w, tpl)
				}
			}
		}
	}
}

func TestDatasetTokens(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	i := -1
	for k, s := range d.Subjects {
		if s == "France" {
			i = k
		}
	}
	if i < 0 || d.Objects[i] != "Paris" {
		t.Fatalf("France → Paris missing")
	}
	s := d.Sentence(i, 0, d.ObjectTok[i])
	if got := d.Vocab.Decode(s); got != "The capital of France is Paris" {
		t.Fatalf("sentence %q", got)
	}
	enc, err := d.Vocab.Encode("The capital of United States is")
	if err != nil || len(enc) != 5 || d.Vocab.Kind[enc[3]] != KindSubject {
		t.Fatalf("multi-word entity not one token: %v %v", enc, err)
	}
	if _, err := d.Vocab.Encode("The capital of Atlantis is"); err == nil {
		t.Fatal("unknown word accepted")
	}
	if _, err := NewDataset(nil, "planet"); err == nil {
		t.Fatal("unknown relation accepted")
	}
}
