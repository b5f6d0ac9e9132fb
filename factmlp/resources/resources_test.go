package resources

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "8GB": 8e9, "1e9": 1e9, "2 GiB": 2 << 30, "100": 100,
		"": 0, "0": 0, "auto": 0, "off": -1, "-1": -1, "1.5k": 1536} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"NaN", "Inf", "-5GB", "lots", "1e30", "5XB"} {
		if _, err := ParseBytes(in); err == nil || !strings.Contains(err.Error(), "accepted") {
			t.Errorf("ParseBytes(%q): got %v, want an error saying what is accepted", in, err)
		}
	}
}

// The sizes of issue #13 need far more than any machine this runs on, and
// the estimates grow with every size.
func TestEstimates(t *testing.T) {
	const tib = 1 << 40
	huge := map[string]Need{
		"rho n=1e8":          Rho(100_000_000, 64, 2, "spherical", false),
		"rho dim=1e5":        Rho(64, 100_000, 2, "spherical", false),
		"construct h=1e8":    Construct(64, 64, 8, 100_000_000),
		"ssfr batch=1e8":     SSFR(256, 64, 0, 100_000_000, 2000, 27, 261),
		"absurd, overflowed": Rho(1<<62, 1<<62, 1<<30, "conditioned", true),
	}
	for name, n := range huge {
		if n.Bytes() < tib/16 {
			t.Errorf("%s: estimate %s is implausibly small", name, Format(float64(n.Bytes())))
		}
	}
	small := Construct(1024, 1024, 64, 256)
	if b := small.Bytes(); b < baseline || b > 1<<30 {
		t.Errorf("construct F=1024 d=64 h=256: %s", small)
	}
	if a, b := Rho(1000, 64, 1, "spherical", false).Bytes(), Rho(2000, 64, 1, "spherical", false).Bytes(); a >= b {
		t.Errorf("rho need does not grow with n: %d, %d", a, b)
	}
	if a, b := SSFR(256, 64, 0, 256, 2000, 27, 261).Bytes(), SSFR(256, 64, 0, 512, 4000, 27, 261).Bytes(); a >= b {
		t.Errorf("ssfr need does not grow with the batch: %d, %d", a, b)
	}
}

func TestCheck(t *testing.T) {
	need := Construct(64, 64, 8, 100_000_000)
	err := Check(need, 1<<30, "--max-memory")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("1 GiB budget: %v", err)
	}
	for _, want := range []string{"hidden=100000000", "GiB", "--max-memory gives 1.0 GiB", "set --max-memory to override"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if err := Check(need, -1, "--max-memory"); err != nil {
		t.Errorf("check off: %v", err)
	}
	if err := Check(Construct(64, 64, 8, 16), 0, "--max-memory"); err != nil {
		t.Errorf("a tiny MLP refused on this machine: %v", err)
	}
	if err := Check(need, 0, ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("1e8 hidden units accepted by the machine: %v", err)
	}
}

func TestAvailable(t *testing.T) {
	lim, err := Available()
	if err != nil {
		t.Skip(err) // not Linux
	}
	if lim.Bytes <= 0 || lim.Bytes > 1<<50 || lim.Source == "" {
		t.Fatalf("available %+v", lim)
	}
}
