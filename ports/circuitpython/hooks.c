// CircuitPython's gc.c and main.c call the hooks themselves in every file compiled with
// CIRCUITPY_MEMORYMONITOR set, which circuitpython.mk does for all of them; this file is
// compiled with the same flags, so the check below stands for gc.c's.
#include "py/runtime.h"
#include "modmemorymonitor.h"

#if !CIRCUITPY_MEMORYMONITOR
#error "memorymonitor: CircuitPython's allocation hooks are off: build through ports/circuitpython/circuitpython.mk"
#endif

mm_monitor_t *memorymonitor_new(const mp_obj_type_t *type) {
    return memorymonitor_zeroed(type);
}
