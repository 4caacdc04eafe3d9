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

// A new, inactive AllocationSize object of `type` (an AllocationSize until mm_alarm_init), or
// ImportError unless every allocation reaches memorymonitor_track_allocation. The constructors
// ask, so that no monitor is made that would count nothing (one check at import would need a
// module __init__ in every firmware). Defined beside the hooks: cmodule/wrap.c for MicroPython,
// ports/circuitpython/hooks.c for CircuitPython.
mm_monitor_t *memorymonitor_new(const mp_obj_type_t *type);

// What both memorymonitor_new make once they may: zeroed, a monitor is an inactive AllocationSize.
static inline mm_monitor_t *memorymonitor_zeroed(const mp_obj_type_t *type) {
    mm_monitor_t *self = m_new0(mm_monitor_t, 1);
    self->base = type;
    return self;
}

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

#endif // MICROPY_INCLUDED_MEMORYMONITOR_SHIM_H
