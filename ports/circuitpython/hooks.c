// CircuitPython's gc.c and main.c call the hooks themselves in every file compiled with
// CIRCUITPY_MEMORYMONITOR set, which circuitpython.mk does for all of them; this file is
// compiled with the same flags, so the check below stands for gc.c's.
#include "py/runtime.h"
#include "modmemorymonitor.h"
#include "port.h"

#if !CIRCUITPY_MEMORYMONITOR
#error "memorymonitor: CircuitPython's allocation hooks are off: build through ports/circuitpython/circuitpython.mk"
#endif

// gc.c calls the hook on every allocation, and the hook reads mm_active itself.
void mm_port_active(bool active) {
    (void)active;
}
