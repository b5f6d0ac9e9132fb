// Command gen rebuilds data/countries.csv (country, capital, currency,
// region, language) from github.com/pariz/gountries:
//
//	go run ./data/gen            # writes data/countries.csv
//	go run ./data/gen -o out.csv
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/factmlp/factmlp/factmlp/facts"
)

func main() {
	out := flag.String("o", "data/countries.csv", "output CSV path")
	flag.Parse()
	rows := facts.FromGountries()
	if err := facts.WriteCSVFile(*out, rows); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d countries to %s\n", len(rows), *out)
}
