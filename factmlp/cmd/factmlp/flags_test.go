package main

import (
	"bytes"
	"strings"
	"testing"
)

// Every command: -h prints its flags on stderr (stdout stays clean) and
// exits 0; stray arguments and unknown flags are one line on stderr, exit 1.
func TestParseFlagsHelpAndExtraArguments(t *testing.T) {
	for name := range commands {
		var out, errb bytes.Buffer
		if rc := runMain([]string{name, "-h"}, &out, &errb); rc != 0 || out.Len() != 0 || !strings.Contains(errb.String(), "usage: factmlp "+name) {
			t.Errorf("%s -h: rc=%d stdout=%q stderr=%q", name, rc, out.String(), errb.String())
		}
		out.Reset()
		errb.Reset()
		if rc := runMain([]string{name, "extra"}, &out, &errb); rc != 1 || !strings.Contains(errb.String(), `unexpected arguments ["extra"]`) {
			t.Errorf("%s extra: rc=%d stderr=%q", name, rc, errb.String())
		}
		out.Reset()
		errb.Reset()
		if rc := runMain([]string{name, "--no-such-flag"}, &out, &errb); rc != 1 || out.Len() != 0 || strings.Count(errb.String(), "\n") != 1 ||
			!strings.Contains(errb.String(), "-no-such-flag") || !strings.Contains(errb.String(), name+" -h lists the flags") {
			t.Errorf("%s --no-such-flag: rc=%d stdout=%q stderr=%q", name, rc, out.String(), errb.String())
		}
	}
	var out, errb bytes.Buffer
	if rc := runMain([]string{"-h"}, &out, &errb); rc != 0 || out.Len() != 0 || !strings.Contains(errb.String(), "commands:") {
		t.Errorf("factmlp -h: rc=%d stdout=%q stderr=%q", rc, out.String(), errb.String())
	}
}

// Old spellings are hidden aliases: they work, and -h does not list them.
func TestFlagAliases(t *testing.T) {
	for _, c := range []struct {
		cmd, old, canonical string
	}{{"rho", "n", "facts"}, {"construct", "n", "facts"}, {"capacity", "n", "facts"}, {"verify", "n", "facts"}, {"ssfr", "mlp-method", "method"}} {
		var out, errb bytes.Buffer
		runMain([]string{c.cmd, "-h"}, &out, &errb)
		if strings.Contains(errb.String(), "  -"+c.old+" ") || !strings.Contains(errb.String(), "  -"+c.canonical+" ") {
			t.Errorf("%s -h lists -%s or lacks -%s:\n%s", c.cmd, c.old, c.canonical, errb.String())
		}
	}
	a, _, code := run(t, "rho", "--n", "12", "--dim", "4", "--json")
	b, _, code2 := run(t, "rho", "--facts", "12", "--dim", "4", "--json")
	if code != 0 || code2 != 0 || strings.Split(a, `"seconds"`)[0] != strings.Split(b, `"seconds"`)[0] {
		t.Fatalf("--n and --facts differ:\n%s\n%s", a, b)
	}
}
