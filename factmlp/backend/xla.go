//go:build xla

package backend

// Built with -tags xla, the XLA backend is registered too, so
// GOMLX_BACKEND=xla:cpu or xla:cuda selects it. It loads a PJRT plugin at run
// time (see environment.md); the pure-Go backend stays the default.
import _ "github.com/gomlx/go-xla/compute/xla"
