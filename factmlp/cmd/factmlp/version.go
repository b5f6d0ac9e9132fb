package main

import (
	"fmt"
	"io"

	"github.com/factmlp/factmlp/factmlp/backend"
)

func init() {
	register(command{name: "backend", summary: "print the GoMLX backend in use", run: func(args []string, w io.Writer) error {
		if len(args) > 0 {
			return fmt.Errorf("takes no arguments, got %q", args)
		}
		if _, err := backend.Get(); err != nil {
			return err
		}
		_, err := fmt.Fprintln(w, backend.Describe())
		return err
	}})
}
