package kernelext

import (
	"fmt"
	"os"

	"github.com/factmlp/factmlp/factmlp/resources"
	"github.com/factmlp/factmlp/kernelext/contract"
)

// MaxMemoryEnv names the environment variable with the notebooks' memory
// budget (e.g. "8GiB"; "off" disables the check; unset: the memory
// available to the kernel). It plays the role of the CLI's --max-memory.
const MaxMemoryEnv = contract.MaxMemoryEnv

// CheckMemory refuses a computation before it starts when its estimated
// need (package resources, the same estimates the CLI uses) exceeds the
// budget of FACTMLP_MAX_MEMORY or, unset, the memory available to the
// kernel. A cell calls it with the sizes it is about to use, e.g.
//
//	if err := kernelext.CheckMemory(resources.Rho(n, d, 0, "spherical", false)); err != nil {
//		return err
//	}
//
// so a scale too large for the machine gives a message saying how much it
// would take, not a dead kernel.
func CheckMemory(need resources.Need) error {
	budget, err := resources.ParseBytes(os.Getenv(MaxMemoryEnv))
	if err != nil {
		return fmt.Errorf("kernelext: %s: %w", MaxMemoryEnv, err)
	}
	return resources.Check(need, budget, MaxMemoryEnv)
}
