package facts

import (
	"os"
	"strings"
	"testing"
)

func TestLoadBooksFirstRowsAndLimits(t *testing.T) {
	all, err := LoadBooks(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != BooksShipped {
		t.Fatalf("%d rows shipped; want %d", len(all), BooksShipped)
	}
	first, err := LoadBooks(3)
	if err != nil {
		t.Fatal(err)
	}
	want := []Book{{"A Murder is Announced", "Agatha Christie"}, {"The Tommyknockers", "Stephen King"}, {"NYPD Red", "James Patterson"}}
	for i := range want {
		if first[i] != want[i] || all[i] != want[i] {
			t.Fatalf("row %d: %v (all: %v); want %v", i, first[i], all[i], want[i])
		}
	}
	if _, err := LoadBooks(BooksShipped + 1); err == nil || !strings.Contains(err.Error(), "16384") {
		t.Fatalf("asking for too many rows: %v", err)
	}
	// The shipped file is byte-identical to the first rows of the source.
	if src, err := os.ReadFile("/work/shared/data/book_authors/book_authors.csv"); err == nil {
		mine, err := os.ReadFile("../../data/book_authors/book_authors.csv")
		if err != nil || !strings.HasPrefix(string(src), string(mine)) {
			t.Fatalf("data/book_authors/book_authors.csv is not a prefix of the source: %v", err)
		}
	}
}

func TestReadBooksRejectsBadInput(t *testing.T) {
	for _, c := range []struct{ csv, want string }{
		{"a,b\n", "header"},
		{",author,book\n0,X,B1\n1,X,B2\n", `author "X"`},
		{",author,book\n0,X,B1\n1,Y,B1\n", `book "B1"`},
		{",author,book\n0,,B1\n", "empty"},
		{",author,book\n0,X,B1\n", "2 book facts asked for; the CSV has 1"},
	} {
		_, err := ReadBooks(strings.NewReader(c.csv), 2)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v; want one containing %q", c.csv, err, c.want)
		}
	}
}

func TestBookDataset(t *testing.T) {
	d, err := LoadBookDataset(64)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Templates) != 16 || d.NumTrain != 16 {
		t.Fatalf("%d phrasings (%d for training); want 16, all trained on", len(d.Templates), d.NumTrain)
	}
	if len(d.Subjects) != 64 || len(d.ObjectTokens) != 64 {
		t.Fatalf("%d facts, %d distinct authors; want 64 of each", len(d.Subjects), len(d.ObjectTokens))
	}
	// Every entity is one token: a sentence has one token per template word.
	for i := range 64 {
		for tpl := range d.Templates {
			s := d.Sentence(i, tpl, d.ObjectTok[i])
			if len(s) != len(Words(d.Templates[tpl])) || s[len(s)-1] != d.ObjectTok[i] {
				t.Fatalf("fact %d phrasing %d: %v", i, tpl, d.Vocab.Decode(s))
			}
			for _, tok := range s {
				if tok < 0 {
					t.Fatalf("fact %d phrasing %d has an unknown word", i, tpl)
				}
			}
			if d.Vocab.Kind[s[len(s)-1]] != KindObject {
				t.Fatalf("last token of %q is not an author", d.Vocab.Decode(s))
			}
		}
	}
	// The query words ("is", "by") occur only right before the author.
	for _, tpl := range d.Templates {
		ws := Words(tpl)
		for k, w := range ws[:len(ws)-2] {
			if w == "is" || w == "by" {
				t.Errorf("%q: query word %q at position %d, not only before {o}", tpl, w, k)
			}
		}
	}
	if got := d.QueryWords(); strings.Join(got, ",") != "by,is" {
		t.Fatalf("query words %v; want by, is", got)
	}
	if _, err := LoadBookDataset(1); err == nil || !strings.Contains(err.Error(), "at least 2") {
		t.Fatalf("1 fact: %v", err)
	}
}
