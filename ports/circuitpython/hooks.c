// CircuitPython's gc.c and main.c call the hooks themselves in every file compiled with
// CIRCUITPY_MEMORYMONITOR set, which circuitpython.mk does for all of them; this file is
// compiled with the same flags, so the check below stands for gc.c's.
#include "modmemorymonitor.h"

#if !CIRCUITPY_MEMORYMONITOR
#error "memorymonitor: CircuitPython's allocation hooks are off: build through ports/circuitpython/circuitpython.mk"
#endif

bool memorymonitor_hooks_in_effect(void) {
    return true;
}
