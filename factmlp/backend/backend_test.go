package backend

import (
	"strings"
	"testing"
)

func TestDescribeNamesBackend(t *testing.T) {
	if _, err := Get(); err != nil {
		t.Fatal(err)
	}
	d := Describe()
	if !strings.Contains(d, "GoMLX") {
		t.Fatalf("Describe() = %q, want it to name the GoMLX backend", d)
	}
	if SIMD() != strings.Contains(d, "with SIMD") {
		t.Fatalf("Describe() = %q disagrees with SIMD() = %v", d, SIMD())
	}
}
