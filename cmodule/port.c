// What the Rust core asks of MicroPython and CircuitPython (see port.h).
#include "py/runtime.h"
#include "py/mpstate.h"
#include "py/mphal.h"
#include "modmemorymonitor.h"
#include "port.h"

mm_monitor_t **mm_port_head(void) {
    return &MP_STATE_VM(memorymonitor_active);
}

#if MICROPY_PY_THREAD && (defined(__linux__) || defined(__APPLE__))
// On a hosted port each MicroPython thread is an OS thread, and compiler thread-local storage
// names it in an instruction or two, where mp_thread_get_state() is a library call.
static __thread char this_thread;
#endif

const void *mm_port_thread(void) {
    #if MICROPY_PY_THREAD && (defined(__linux__) || defined(__APPLE__))
    return &this_thread;
    #elif MICROPY_PY_THREAD
    return mp_thread_get_state();
    #else
    return &mp_state_ctx;
    #endif
}

void mm_port_raise_allocation_error(size_t blocks) {
    // An allocation outside any nlr_push (the REPL reading a line, say) has nowhere to raise
    // to: nlr_jump would abort the interpreter. The alarm is already stopped; let it pass.
    if (MP_STATE_THREAD(nlr_top) == NULL) {
        return;
    }
    // Another alarm of this thread must not replace this one's error with its own.
    memorymonitor_raise(&mp_type_memorymonitor_AllocationError,
        MP_ERROR_TEXT("Attempt to allocate %lu blocks"), blocks, 0);
}

size_t mm_port_critical_enter(void) {
    return MICROPY_BEGIN_ATOMIC_SECTION();
}

void mm_port_critical_exit(size_t state) {
    MICROPY_END_ATOMIC_SECTION(state);
}
