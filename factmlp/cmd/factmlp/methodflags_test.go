package main

import (
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/method"
)

// Every command that selects a fact-MLP method by name accepts the names of
// the method registry and lists all of them when given another.
func TestMethodFlagsListTheRegistry(t *testing.T) {
	for _, args := range [][]string{
		{"construct", "--method", "nope", "--n", "16", "--dim", "8"},
		{"capacity", "--method", "nope", "--facts", "16", "--dim", "8"},
		{"ssfr", "--mlp-method", "nope"},
	} {
		_, stderr, code := run(t, args...)
		if code == 0 {
			t.Fatalf("%v was accepted", args)
		}
		for _, n := range method.Names() {
			if !strings.Contains(stderr, n) {
				t.Errorf("%v: the error does not list %q: %s", args, n, stderr)
			}
		}
	}
	_, stderr, code := run(t, "ssfr", "--mlp-method", "gd", "--whiten", "0.5")
	if code == 0 || !strings.Contains(stderr, "--whiten does not apply to --method gd; it applies to encdec") {
		t.Fatalf("whitening a gd MLP: exit %d, %s", code, stderr)
	}
	// A method the construct command did not know before the registry.
	out, stderr, code := run(t, "construct", "--method", "lookup", "--n", "24", "--dim", "8", "--json")
	if code != 0 || !strings.Contains(out, `"hidden":24`) || !strings.Contains(out, `"accuracy":1`) {
		t.Fatalf("construct --method lookup: exit %d: %s %s", code, out, stderr)
	}
}
