package editing

import (
	"os"
	"sync"

	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/gomlx/compute"
)

var (
	seqOnce    sync.Once
	seqBackend compute.Backend
	seqErr     error
)

// getBackend returns the backend the LM trains on. With GOMLX_BACKEND unset
// it is the pure-Go backend configured with "ops_sequential": with the
// default parallel op scheduler, compute v0.1.6 deadlocked on this model's
// training graph (a worker-pool wait that never returned, seen on 2 cores).
// The matmul kernels still use all cores. With GOMLX_BACKEND set, the
// shared backend.Get() is used.
func getBackend() (compute.Backend, error) {
	if os.Getenv("GOMLX_BACKEND") != "" {
		return backend.Get()
	}
	seqOnce.Do(func() { seqBackend, seqErr = compute.NewWithConfig("go:ops_sequential") })
	return seqBackend, seqErr
}
