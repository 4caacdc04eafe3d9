// What the Rust core asks of its host. cmodule/host.c answers for MicroPython and CircuitPython,
// tests/c/harness.c for the host tests. build.rs turns this file into src/host.rs.
#ifndef MEMORYMONITOR_HOST_H
#define MEMORYMONITOR_HOST_H

#include "memorymonitor.h"

// Where the host keeps the head of the active list: a garbage-collector root, so that an active
// monitor stays alive when the program drops it. Never null.
mm_monitor_t **mm_host_head(void);

// The calling thread's tally, which counts its allocations. Never null; all zeroes to begin
// with. Threads that run at the same time have different tallies; a host without threads has
// one. A host with a fixed pool may return a shared tally that no monitor uses for a thread
// that has not claimed one.
mm_tally_t *mm_host_tally(void);

// The calling thread's tally, for a monitor it enters; called with the registry lock held. The
// tally must stay valid while a monitor of the thread is active: a host whose threads' storage
// ends with them calls mm_tally_end first. Null when the host has no tally left for the thread.
mm_tally_t *mm_host_claim_tally(void);

// What a host calls when a thread whose storage holds its tally ends: every monitor the thread
// has active is exited (a size monitor keeps its counts), so that nothing points into that
// storage once it is gone. It is the slow path's walk with no allocation (src/ffi.rs).
static inline void mm_tally_end(mm_tally_t *tally) {
    mm_track_slow(NULL, tally, MM_THREAD_END);
}

// Told, with the registry lock held, at the end of every mm_call and every slow path, whether they
// changed the active list or not: whether any monitor is now active anywhere. MicroPython's
// wrappers switch their targets on it (wrap.c); CircuitPython's hook keeps a copy to read on every
// allocation (ports/circuitpython/hooks.c).
void mm_host_active(bool active);

// Raises AllocationError for an allocation of `blocks` blocks. Returns only where raising is
// impossible (no exception handler to catch it); the alarm has been deactivated either way.
void mm_host_raise_allocation_error(size_t blocks);

// Enters and leaves a critical section that excludes every other core and interrupt handler
// that may allocate: the registry lock of bare-metal builds. Sections nest.
size_t mm_host_critical_enter(void);
void mm_host_critical_exit(size_t state);

#endif // MEMORYMONITOR_HOST_H
