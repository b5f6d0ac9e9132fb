package kernelext

import (
	"errors"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/resources"
)

func TestCheckMemory(t *testing.T) {
	huge := resources.Construct(64, 64, 8, 100_000_000)
	t.Setenv(MaxMemoryEnv, "")
	if err := CheckMemory(huge); !errors.Is(err, resources.ErrTooLarge) {
		t.Errorf("10⁸ hidden units fit this machine? %v", err)
	}
	t.Setenv(MaxMemoryEnv, "1MiB")
	if err := CheckMemory(resources.Construct(64, 64, 8, 16)); err == nil || !strings.Contains(err.Error(), MaxMemoryEnv+" gives 1.0 MiB") {
		t.Errorf("1 MiB budget: %v", err)
	}
	t.Setenv(MaxMemoryEnv, "off")
	if err := CheckMemory(huge); err != nil {
		t.Errorf("check off: %v", err)
	}
	t.Setenv(MaxMemoryEnv, "NaN")
	if err := CheckMemory(huge); err == nil || !strings.Contains(err.Error(), "accepted") {
		t.Errorf("bad budget: %v", err)
	}
}
