package capacity

import "testing"

func TestSweepAllRejectsEmptyConfig(t *testing.T) {
	if _, err := SweepAll([]Config{{}}, SweepOptions{}); err == nil {
		t.Error("a config without methods was accepted")
	}
}
