// What the Rust core asks of its host. cmodule/port.c answers for MicroPython and CircuitPython,
// tests/c/harness.c for the host tests. build.rs turns this file into src/port.rs.
#ifndef MEMORYMONITOR_PORT_H
#define MEMORYMONITOR_PORT_H

#include "memorymonitor.h"

// Where the host keeps the head of the active list: a garbage-collector root, so that an active
// monitor stays alive when the program drops it. Never null.
mm_monitor_t **mm_port_head(void);

// Identifies the calling thread. Any value that differs between threads that run at the same
// time will do; a host without threads may return a constant.
const void *mm_port_thread(void);

// Raises AllocationError for an allocation of `blocks` blocks. Returns only where raising is
// impossible (no exception handler to catch it); the alarm has been deactivated either way.
void mm_port_raise_allocation_error(size_t blocks);

// Enters and leaves a critical section that excludes every other core and interrupt handler
// that may allocate: the registry lock of bare-metal builds. Sections nest.
size_t mm_port_critical_enter(void);
void mm_port_critical_exit(size_t state);

#endif // MEMORYMONITOR_PORT_H
