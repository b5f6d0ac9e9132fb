package backend

import (
	"fmt"
	"os"
	"runtime"
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

func TestUnknownBackendIsAnErrorNotAPanic(t *testing.T) {
	_, err := open("no-such-backend")
	if err == nil || !strings.Contains(err.Error(), `"no-such-backend"`) || !strings.Contains(err.Error(), "accepted:") {
		t.Fatalf("got %v, want an error naming the backend and what is accepted", err)
	}
}

func TestSequentialIsPureGo(t *testing.T) {
	t.Setenv(ConfigEnv, "")
	os.Unsetenv(ConfigEnv)
	b, err := Sequential()
	if err != nil {
		t.Fatal(err)
	}
	if !IsPureGo(b) {
		t.Fatalf("Sequential() = %s, want the pure-Go backend", b.Name())
	}
}

// The pure-Go backend's line states the threads it can use, not the pool's
// soft target of 2×GOMAXPROCS.
func TestDescribeThreads(t *testing.T) {
	b, err := Get()
	if err != nil || !IsPureGo(b) {
		t.Skip("not the pure-Go backend")
	}
	d := Describe()
	want := fmt.Sprintf("up to %d threads", runtime.GOMAXPROCS(0))
	if !strings.Contains(d, want) || strings.Contains(d, "parallelism=") {
		t.Fatalf("Describe() = %q, want it to say %q", d, want)
	}
}
