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

// Whether every allocation reaches memorymonitor_track_allocation (wrap.c for MicroPython).
bool memorymonitor_hooks_in_effect(void);

// Raises ImportError unless the hooks are in effect; the constructors ask, so that no monitor is
// made that would count nothing (one check at import would need a module __init__ in every
// firmware, where this costs a call).
void memorymonitor_require_hooks(void);

// Raises the exception a refused call stands for; returns on MM_STATUS_T_OK.
void memorymonitor_check(mm_status_t status);

#endif // MICROPY_INCLUDED_MEMORYMONITOR_SHIM_H
