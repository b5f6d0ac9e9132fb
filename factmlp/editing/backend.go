package editing

import (
	"github.com/factmlp/factmlp/factmlp/backend"
	"github.com/gomlx/compute"
)

// getBackend returns the backend the LM trains on: backend.Sequential,
// because the pure-Go backend's parallel op scheduler deadlocked on this
// model's training graph.
func getBackend() (compute.Backend, error) { return backend.Sequential() }
