package main

import (
	"errors"
	"flag"
	"fmt"
)

// parseFlags parses a subcommand's args with fl and rejects positional
// arguments. done is true when the caller should return err right away:
// on a parse error, on unexpected arguments, and (with a nil error) when
// -h/--help asked for the flag list, which fl has already printed. Use it as
//
//	if done, err := parseFlags(fl, args); done {
//		return err
//	}
func parseFlags(fl *flag.FlagSet, args []string) (done bool, err error) {
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return true, err
	}
	if fl.NArg() > 0 {
		return true, fmt.Errorf("unexpected arguments %q", fl.Args())
	}
	return false, nil
}
