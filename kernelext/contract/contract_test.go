package contract

import (
	"strings"
	"testing"
)

func TestCheckScale(t *testing.T) {
	for _, s := range Scales {
		if err := CheckScale(s); err != nil {
			t.Errorf("CheckScale(%q) = %v", s, err)
		}
	}
	err := CheckScale("huge")
	if err == nil || !strings.Contains(err.Error(), `"huge"`) || !strings.Contains(err.Error(), "smoke, fast, paper") {
		t.Errorf("CheckScale(huge) = %v; want an error naming the value and the accepted scales", err)
	}
}

func TestCellLines(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{{"", 0}, {"%%", 1}, {"a\nb", 2}, {"a\nb\n", 2}, {"a\n\nb\n", 3}} {
		if got := CellLines(c.src); got != c.want {
			t.Errorf("CellLines(%q) = %d, want %d", c.src, got, c.want)
		}
	}
}
