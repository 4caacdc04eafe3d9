// What the shim's files share. The Rust core's ABI is in include/memorymonitor.h.
#ifndef MICROPY_INCLUDED_MEMORYMONITOR_SHIM_H
#define MICROPY_INCLUDED_MEMORYMONITOR_SHIM_H

#include "py/obj.h"
#include "memorymonitor.h"

// A monitor object is a bare mm_monitor_t: its first word is the object's mp_obj_base_t, so the
// active list links object starts, which is what the garbage collector follows.
_Static_assert(sizeof(mp_obj_base_t) == sizeof(((mm_monitor_t *)0)->base), "a monitor object is a bare mm_monitor_t");
_Static_assert(offsetof(mm_monitor_t, base) == 0, "a monitor object is a bare mm_monitor_t");

extern const mp_obj_type_t mp_type_memorymonitor_AllocationError;
extern const mp_obj_type_t memorymonitor_allocationalarm_type;
extern const mp_obj_type_t memorymonitor_allocationsize_type;

// A new, inactive AllocationSize object of `type` (an AllocationSize until made an alarm,
// MM_OP_T_ALARM).
mm_monitor_t *memorymonitor_new(const mp_obj_type_t *type);

#ifndef MP_NORETURN
#define MP_NORETURN NORETURN // MicroPython before 1.26, CircuitPython
#endif

// Builds an exception (mp_obj_new_exception_msg_varg's, with two arguments for the format, which
// it may leave unused) with the calling thread's alarms muted, then raises it: the module's own
// errors are never replaced by its own alarms.
MP_NORETURN void memorymonitor_raise(const mp_obj_type_t *type, mp_rom_error_text_t fmt, mp_uint_t a, mp_uint_t b);

// Raises the exception a refused call stands for, never AllocationError; returns on
// MM_STATUS_T_OK.
void memorymonitor_check(mm_status_t status);

// The __enter__ and __exit__ methods, the same for both monitor types.
MP_DECLARE_CONST_FUN_OBJ_1(memorymonitor_enter_obj);
MP_DECLARE_CONST_FUN_OBJ_VAR_BETWEEN(memorymonitor_exit_obj);

// How the calling thread's tally is found (host.c): thread-local on Linux (the unix port), one
// per core on rp2, a claimed one from a small pool on other threaded ports, else a single one. The
// allocator wrappers reach the first and last directly, without a call. MEMORYMONITOR_TALLY_POOL
// set to 1 chooses the pool on any port with threads: make test builds the unix port so.
#define MM_TALLY_TLS (0)
#define MM_TALLY_PER_CORE (0)
#define MM_TALLY_POOL (0)
#if MICROPY_PY_THREAD && defined(MEMORYMONITOR_TALLY_POOL) && MEMORYMONITOR_TALLY_POOL
#undef MM_TALLY_POOL
#define MM_TALLY_POOL (1)
#elif MICROPY_PY_THREAD && defined(__linux__)
#undef MM_TALLY_TLS
#define MM_TALLY_TLS (1)
#elif MICROPY_PY_THREAD && defined(PICO_BUILD)
#undef MM_TALLY_PER_CORE
#define MM_TALLY_PER_CORE (1)
#elif MICROPY_PY_THREAD
#undef MM_TALLY_POOL
#define MM_TALLY_POOL (1)
#endif
#if MM_TALLY_TLS && defined(__ELF__)
// An ELF executable's thread-locals are at fixed offsets from the thread pointer: on x86-64
// one instruction reaches a counter (track.h).
extern __thread mm_tally_t mm_thread_tally __attribute__((tls_model("local-exec")));
#define MM_TALLY_TLS_VAR mm_thread_tally
#define MM_TALLY_HERE() (&mm_thread_tally)
#elif MM_TALLY_TLS
extern __thread mm_tally_t mm_thread_tally;
#define MM_TALLY_HERE() (&mm_thread_tally)
#elif MICROPY_PY_THREAD
#define MM_TALLY_HERE() mm_host_tally()
#else
extern mm_tally_t mm_static_tally;
#define MM_TALLY_HERE() (&mm_static_tally)
#endif
// The value of `call`, an allocation whose caller takes a failure as a null pointer and cannot
// take an exception, made with the calling thread held (mm_hold in track.h): an alarm that fires
// there raises at the thread's next allocation. (wrap.c; ports/circuitpython/hooks.c)
#define MM_HELD(call) __extension__ ({ \
        mm_tally_t *held_tally_ = MM_TALLY_HERE(); \
        mm_hold(held_tally_, 1); \
        void *held_ptr_ = (call); \
        mm_hold(held_tally_, -1); \
        held_ptr_; \
    })

// m_realloc_maybe's old size, an argument where MicroPython tracks allocated sizes.
#if MICROPY_MALLOC_USES_ALLOCATED_SIZE
#define MM_OLD_SIZE(x) x,
#else
#define MM_OLD_SIZE(x)
#endif

#if MM_TALLY_POOL
// Forgets which thread claimed which tally of the pool (soft reset).
void memorymonitor_host_reset(void);
#else
static inline void memorymonitor_host_reset(void) {
}
#endif

#endif // MICROPY_INCLUDED_MEMORYMONITOR_SHIM_H
