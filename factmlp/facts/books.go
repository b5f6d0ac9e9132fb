package facts

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	bookauthors "github.com/factmlp/factmlp/data/book_authors"
)

// Book is one row of the book→author table (data/book_authors).
type Book struct {
	Title, Author string
}

// BooksHeader is the CSV header of data/book_authors/book_authors.csv: an
// unnamed row index, the author, the book.
var BooksHeader = []string{"", "author", "book"}

// BooksShipped is the number of rows shipped in data/book_authors (the
// N = 16,384 of the authors' editing runs).
const BooksShipped = bookauthors.Rows

// ReadBooks streams the first n rows of a book→author CSV (n ≤ 0: every
// row), trimming surrounding spaces. Every title and every author must be
// non-empty and unique among the rows read (the fact-editing task needs a
// bijection book ↔ author); asking for more rows than the file has is an
// error naming both numbers.
func ReadBooks(r io.Reader, n int) ([]Book, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("facts: book CSV has no header: %w", err)
	}
	if len(head) != 3 || head[1] != "author" || head[2] != "book" {
		return nil, fmt.Errorf("facts: book CSV header %q; want %q", strings.Join(head, ","), strings.Join(BooksHeader, ","))
	}
	var out []Book
	books, authors := map[string]int{}, map[string]int{}
	for n <= 0 || len(out) < n {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("facts: book CSV row %d: %w", len(out)+2, err)
		}
		b := Book{Title: strings.TrimSpace(rec[2]), Author: strings.TrimSpace(rec[1])}
		line := len(out) + 2
		if b.Title == "" || b.Author == "" {
			return nil, fmt.Errorf("facts: book CSV line %d has an empty book or author (%q, %q)", line, rec[2], rec[1])
		}
		if prev, ok := books[b.Title]; ok {
			return nil, fmt.Errorf("facts: book %q on lines %d and %d; books must be unique", b.Title, prev, line)
		}
		if prev, ok := authors[b.Author]; ok {
			return nil, fmt.Errorf("facts: author %q on lines %d and %d; authors must be unique", b.Author, prev, line)
		}
		books[b.Title], authors[b.Author] = line, line
		out = append(out, b)
	}
	if n > 0 && len(out) < n {
		return nil, fmt.Errorf("facts: %d book facts asked for; the CSV has %d rows", n, len(out))
	}
	return out, nil
}

// LoadBooks returns the first n shipped book facts (n ≤ 0: all
// BooksShipped); n above BooksShipped is an error naming the limit.
func LoadBooks(n int) ([]Book, error) {
	if n > BooksShipped {
		return nil, fmt.Errorf("facts: %d book facts asked for; data/book_authors ships the first %d rows of the authors' table (copy more rows from the source named in its SOURCE.md)", n, BooksShipped)
	}
	return ReadBooks(bookauthors.Open(), n)
}

// BookRelation is the book → author relation in 16 phrasings of our own
// (written for this project in the spirit of the authors' templates, not
// copied). Every phrasing names the book once and ends with the author, and
// the word before the author is "is" or "by", which occur nowhere else in
// any phrasing (so the current token tells a fact position from the
// others). The base model trains on all 16 (as the authors' base model
// does); an edit uses one phrasing per fact as its "train" sentence and
// the other 15 as held-out paraphrases (editing.EditSplit.EditTemplate).
var BookRelation = Relation{Name: "author", Train: []string{
	"The author of {s} is {o}",
	"{s} was written by {o}",
	"The writer of the book {s} is {o}",
	"Who wrote {s} ? The answer is {o}",
	"The book {s} was written by {o}",
	"Who wrote the book {s} ? It was written by {o}",
	"The person who wrote {s} is {o}",
	"{s} , a novel written by {o}",
	"Readers of {s} know that its author is {o}",
	"The name on the cover of {s} is {o}",
	"Ask who wrote {s} and the reply is {o}",
	"The credited author of {s} is {o}",
	"{s} was penned by {o}",
	"The library catalogue lists {s} as a book by {o}",
	"Everyone agrees that the author of {s} is {o}",
	"The story {s} was told by {o}",
}}

// NewBookDataset builds the tokenized book → author data set: every book
// (subject) and every author (object) is one token, and every fact has the
// 16 phrasings of BookRelation.
func NewBookDataset(books []Book) (*Dataset, error) {
	subj := make([]string, len(books))
	obj := make([]string, len(books))
	for i, b := range books {
		subj[i], obj[i] = b.Title, b.Author
	}
	d, err := newSingleRelation(BookRelation, subj, obj)
	if err != nil {
		return nil, err
	}
	if len(d.Subjects) != len(books) || len(d.ObjectTokens) != len(books) {
		return nil, fmt.Errorf("facts: %d books gave %d facts and %d distinct authors; books and authors must be unique", len(books), len(d.Subjects), len(d.ObjectTokens))
	}
	return d, nil
}

// LoadBookDataset is NewBookDataset over the first n shipped rows.
func LoadBookDataset(n int) (*Dataset, error) {
	if n < 2 {
		return nil, fmt.Errorf("facts: %d book facts; need at least 2 (at most %d)", n, BooksShipped)
	}
	books, err := LoadBooks(n)
	if err != nil {
		return nil, err
	}
	return NewBookDataset(books)
}
