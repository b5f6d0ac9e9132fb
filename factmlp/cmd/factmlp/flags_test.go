package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseFlagsHelpAndExtraArguments(t *testing.T) {
	for _, name := range []string{"rho", "construct", "verify", "capacity", "sweep", "ssfr"} {
		var out, errb bytes.Buffer
		if rc := runMain([]string{name, "-h"}, &out, &errb); rc != 0 || !strings.Contains(out.String(), "-") {
			t.Errorf("%s -h: rc=%d stdout=%q stderr=%q", name, rc, out.String(), errb.String())
		}
		out.Reset()
		errb.Reset()
		if rc := runMain([]string{name, "extra"}, &out, &errb); rc != 1 || !strings.Contains(errb.String(), `unexpected arguments ["extra"]`) {
			t.Errorf("%s extra: rc=%d stderr=%q", name, rc, errb.String())
		}
	}
}
