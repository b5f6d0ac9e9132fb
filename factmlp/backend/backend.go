package backend

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // the pure-Go backend, always available
)

var (
	once    sync.Once
	shared  compute.Backend
	initErr error
)

// Get returns the process-wide backend, created on first use from
// $GOMLX_BACKEND or the pure-Go default.
func Get() (compute.Backend, error) {
	once.Do(func() {
		shared, initErr = compute.New()
		if initErr != nil {
			initErr = fmt.Errorf("backend: cannot start GoMLX backend (GOMLX_BACKEND=%q): %w; accepted: unset (pure Go) or a registered backend such as \"go\"", os.Getenv("GOMLX_BACKEND"), initErr)
		}
	})
	return shared, initErr
}

// Must is Get for programs that cannot continue without a backend.
func Must() compute.Backend {
	b, err := Get()
	if err != nil {
		panic(err)
	}
	return b
}

// SIMD reports whether this binary was built with GOEXPERIMENT=simd, which
// the pure-Go backend needs for its fast matrix kernels.
func SIMD() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "GOEXPERIMENT" {
			for _, e := range strings.Split(s.Value, ",") {
				if e == "simd" {
					return true
				}
			}
		}
	}
	return false
}

// IsPureGo reports whether b is GoMLX's pure-Go backend.
func IsPureGo(b compute.Backend) bool {
	return strings.HasPrefix(strings.ToLower(b.Name()), "go")
}

// Describe says in one line which backend runs and how it was built.
func Describe() string {
	b, err := Get()
	if err != nil {
		return err.Error()
	}
	simd := "without SIMD (build with GOEXPERIMENT=simd for ~7x faster matmuls)"
	if SIMD() {
		simd = "with SIMD (GOEXPERIMENT=simd)"
	}
	if IsPureGo(b) {
		return fmt.Sprintf("GoMLX pure-Go backend %s: %s", simd, b.Description())
	}
	return fmt.Sprintf("GoMLX backend %s: %s", b.Name(), b.Description())
}
