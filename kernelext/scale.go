package kernelext

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/factmlp/factmlp/kernelext/contract"
)

// Scale is the problem size a notebook runs at.
type Scale int

const (
	// Smoke: tiny sizes, each notebook in at most 2 minutes on 2 cores (CI).
	Smoke Scale = iota
	// Fast: the default; the paper's trends visible in minutes on a laptop.
	Fast
	// Paper: the paper's sizes; for a GPU or a long run.
	Paper
)

// ScaleEnv is the environment variable that selects the scale.
const ScaleEnv = contract.ScaleEnv

// String returns "smoke", "fast" or "paper".
func (s Scale) String() string {
	switch s {
	case Smoke:
		return "smoke"
	case Fast:
		return "fast"
	case Paper:
		return "paper"
	}
	return fmt.Sprintf("Scale(%d)", int(s))
}

// ParseScale parses "smoke", "fast" or "paper" (case and surrounding spaces
// ignored). The empty string is Fast.
func ParseScale(s string) (Scale, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "smoke":
		return Smoke, nil
	case "fast", "":
		return Fast, nil
	case "paper":
		return Paper, nil
	}
	return Fast, fmt.Errorf("kernelext: %s=%q is not a scale; accepted: %s (default %s)", ScaleEnv, s, strings.Join(contract.Scales, ", "), contract.DefaultScale)
}

// ScaleFromEnv reads FACTMLP_SCALE (unset or empty means Fast).
func ScaleFromEnv() (Scale, error) {
	return ParseScale(os.Getenv(ScaleEnv))
}

// CurrentScale returns the scale chosen by FACTMLP_SCALE. An invalid value
// stops the program (the notebook cell fails) with a message naming the
// accepted values, rather than silently running at the wrong size.
func CurrentScale() Scale {
	s, err := ScaleFromEnv()
	if err != nil {
		Fatal(err)
	}
	return s
}

// Pick returns smoke, fast or paper according to CurrentScale.
func Pick[T any](smoke, fast, paper T) T {
	switch CurrentScale() {
	case Smoke:
		return smoke
	case Paper:
		return paper
	}
	return fast
}

// ShowScale displays which scale the notebook runs at and how to change it.
func ShowScale() {
	s := CurrentScale()
	Markdown(fmt.Sprintf("**Scale: `%s`** — set `%s` to `smoke`, `fast` (default) or `paper` before starting Jupyter (or in the kernel spec) to change it.", s, ScaleEnv))
}

// exit and stderr are os.Exit and os.Stderr, replaceable in tests.
var (
	exit             = os.Exit
	stderr io.Writer = nil // nil: os.Stderr
)

// Fatal reports err on stderr and ends the program with exit status 1, so
// the notebook cell shows the message and fails (no goroutine dump).
func Fatal(err error) {
	Flush()
	w := stderr
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, "error: %v\n", err)
	exit(1)
}

// Check calls Fatal if err is not nil. In notebook cells it keeps error
// handling to one line: kernelext.Check(err).
func Check(err error) {
	if err != nil {
		Fatal(err)
	}
}

// Must returns v, or calls Fatal if err is not nil.
func Must[T any](v T, err error) T {
	if err != nil {
		Fatal(err)
	}
	return v
}
