package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/factmlp/factmlp/factmlp/backend"
)

func init() {
	register(command{name: "backend", summary: "print the GoMLX backend in use", run: func(args []string, w io.Writer) error {
		fl := flag.NewFlagSet("backend", flag.ContinueOnError)
		if done, err := parseFlags(fl, args); done {
			return err
		}
		if _, err := backend.Get(); err != nil {
			return err
		}
		_, err := fmt.Fprintln(w, backend.Describe())
		return err
	}})
}
