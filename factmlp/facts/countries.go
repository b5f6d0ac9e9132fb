package facts

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/factmlp/factmlp/factmlp/atomicfile"

	"github.com/pariz/gountries"
)

// Country is one row of the fact table.
type Country struct {
	Name, Capital, Currency, Region, Language string
}

// Header is the CSV header of data/countries.csv.
var Header = []string{"country", "capital", "currency", "region", "language"}

// FromGountries builds the table from the gountries module: every country
// with a non-empty common name, capital, currency, region and language,
// sorted by name. Where a country has several currencies or languages the
// first currency and the alphabetically first language name are used.
func FromGountries() []Country {
	q := gountries.New()
	var out []Country
	for _, c := range q.FindAllCountries() {
		name := strings.TrimSpace(c.Name.Common)
		capital := strings.TrimSpace(c.Geo.Capital)
		region := strings.TrimSpace(c.Geo.Region)
		if name == "" || capital == "" || region == "" || len(c.Currencies) == 0 || len(c.Languages) == 0 {
			continue
		}
		langs := make([]string, 0, len(c.Languages))
		for _, l := range c.Languages {
			if l = strings.TrimSpace(l); l != "" {
				langs = append(langs, l)
			}
		}
		if len(langs) == 0 {
			continue
		}
		sort.Strings(langs)
		out = append(out, Country{Name: name, Capital: capital, Currency: strings.TrimSpace(c.Currencies[0]), Region: region, Language: langs[0]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// WriteCSV writes the table with Header.
func WriteCSV(w io.Writer, rows []Country) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write([]string{r.Name, r.Capital, r.Currency, r.Region, r.Language}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSVFile writes the table to path through a temporary file and rename.
func WriteCSVFile(path string, rows []Country) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { return WriteCSV(w, rows) }); err != nil {
		return fmt.Errorf("facts: writing %s: %w", path, err)
	}
	return nil
}

// ReadCSV parses a table written by WriteCSV.
func ReadCSV(r io.Reader) ([]Country, error) {
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("facts: bad CSV: %w", err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(Header, ",") {
		return nil, fmt.Errorf("facts: CSV header must be %q", strings.Join(Header, ","))
	}
	out := make([]Country, 0, len(recs)-1)
	for i, r := range recs[1:] {
		if len(r) != len(Header) {
			return nil, fmt.Errorf("facts: CSV row %d has %d fields; want %d", i+2, len(r), len(Header))
		}
		out = append(out, Country{r[0], r[1], r[2], r[3], r[4]})
	}
	return out, nil
}

// Get returns the object of relation rel ("capital", "currency", "region",
// "language") for a country.
func (c Country) Get(rel string) (string, error) {
	switch rel {
	case "capital":
		return c.Capital, nil
	case "currency":
		return c.Currency, nil
	case "region":
		return c.Region, nil
	case "language":
		return c.Language, nil
	}
	return "", fmt.Errorf("facts: unknown relation %q; accepted: capital, currency, region, language", rel)
}
