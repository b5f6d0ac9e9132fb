package backend

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
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

	seqOnce sync.Once
	seq     compute.Backend
	seqErr  error
)

// Get returns the process-wide backend, created on first use from
// $GOMLX_BACKEND or, when that is unset, the pure-Go backend.
func Get() (compute.Backend, error) {
	once.Do(func() {
		config, set := os.LookupEnv(ConfigEnv)
		if !set {
			// Pure Go unless asked otherwise, even in builds that also
			// register XLA (-tags xla).
			config = "go"
		}
		shared, initErr = open(config)
	})
	return shared, initErr
}

// Sequential is Get for graphs that the pure-Go backend's parallel op
// scheduler deadlocks on (compute v0.1.6 hung on the editing LM's training
// graph on 2 cores): with GOMLX_BACKEND unset it returns a pure-Go backend
// that runs ops one at a time (the matmul kernels still use every core).
func Sequential() (compute.Backend, error) {
	if _, set := os.LookupEnv(ConfigEnv); set {
		return Get()
	}
	seqOnce.Do(func() { seq, seqErr = open("go:ops_sequential") })
	return seq, seqErr
}

// ConfigEnv is the environment variable that selects the backend.
const ConfigEnv = "GOMLX_BACKEND"

// open starts the backend named by config; GoMLX panics on an unknown name,
// which here becomes an error that says what is accepted.
func open(config string) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
		if err != nil {
			b = nil
			err = fmt.Errorf("backend: cannot start GoMLX backend %s=%q: %w; accepted: unset or \"go\" (pure Go), or \"xla:cpu\" / \"xla:cuda\" in a build with -tags xla and a PJRT plugin installed (see environment.md)", ConfigEnv, config, err)
		}
	}()
	return compute.NewWithConfig(config)
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

var parallelism = regexp.MustCompile(`parallelism=\d+`)

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
		// The pool's "parallelism" is a soft target of 2×GOMAXPROCS; its
		// kernels never run more workers than GOMAXPROCS, so say that.
		desc := parallelism.ReplaceAllString(b.Description(), fmt.Sprintf("up to %d threads = GOMAXPROCS", runtime.GOMAXPROCS(0)))
		return fmt.Sprintf("GoMLX pure-Go backend %s: %s", simd, desc)
	}
	return fmt.Sprintf("GoMLX backend %s: %s", b.Name(), b.Description())
}
