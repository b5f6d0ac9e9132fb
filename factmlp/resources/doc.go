// Package resources estimates the memory a computation of this toolkit
// needs from its sizes, reads how much the machine has, and refuses early:
// a command asked for 10⁸ facts or a width of 10⁸ gets a message saying
// how much it would take and what is available, instead of dying in the
// middle with an out-of-memory abort.
//
// The estimates (FactSet, Rho, Construct, Verify, Capacity, SSFR) count
// the large arrays each computation holds at its peak — tables, weights,
// activations, solver workspaces — times a small margin; they are meant to
// be right within a factor of about two, which is what refusing needs.
// Available reads MemAvailable from /proc/meminfo and the cgroup memory
// limit (v2 memory.max, v1 memory.limit_in_bytes) and takes the smaller.
// Check compares the two; a budget (the CLI's --max-memory, the notebooks'
// FACTMLP_MAX_MEMORY) replaces what the machine reports.
package resources
