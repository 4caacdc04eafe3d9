// The memorymonitor module: its globals, AllocationError, and the root of the active list.
#include "py/runtime.h"
#include "modmemorymonitor.h"

// The head of the active list. As a root pointer it keeps every active monitor alive.
MP_REGISTER_ROOT_POINTER(struct mm_monitor_t *memorymonitor_active);

// Tracebacks name the exception with its module, as CPython does for non-builtin exceptions.
static void allocation_error_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    if (kind == PRINT_EXC) {
        mp_printf(print, "%q.", MP_QSTR_memorymonitor);
    }
    mp_obj_exception_print(print, self_in, kind);
}

//| class AllocationError(Exception):
//|     """Catchall exception for allocation related errors."""
MP_DEFINE_CONST_OBJ_TYPE(
    mp_type_memorymonitor_AllocationError,
    MP_QSTR_AllocationError,
    MP_TYPE_FLAG_NONE,
    make_new, mp_obj_exception_make_new,
    print, allocation_error_print,
    attr, mp_obj_exception_attr,
    parent, &mp_type_Exception
    );

// A module whose hooks are not linked in would count nothing and never fire: refuse to be one.
void memorymonitor_require_hooks(void) {
    if (!memorymonitor_hooks_in_effect()) {
        mp_raise_msg(&mp_type_ImportError,
            MP_ERROR_TEXT("allocator not wrapped (LTO?)"));
    }
}

void memorymonitor_check(mm_status_t status) {
    if (status == MM_STATUS_T_ALREADY_ACTIVE) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("Already running"));
    }
    if (status != MM_STATUS_T_OK) {
        // MM_STATUS_T_MINIMUM_BELOW_ONE or MM_STATUS_T_NEGATIVE_COUNT: one message for both.
        bool minimum = status == MM_STATUS_T_MINIMUM_BELOW_ONE;
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%q must be >= %d"),
            minimum ? MP_QSTR_minimum_block_count : MP_QSTR_count, minimum);
    }
}

//| """Memory monitoring helpers"""
static const mp_rom_map_elem_t memorymonitor_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_memorymonitor) },
    { MP_ROM_QSTR(MP_QSTR_AllocationAlarm), MP_ROM_PTR(&memorymonitor_allocationalarm_type) },
    { MP_ROM_QSTR(MP_QSTR_AllocationSize), MP_ROM_PTR(&memorymonitor_allocationsize_type) },
    { MP_ROM_QSTR(MP_QSTR_AllocationError), MP_ROM_PTR(&mp_type_memorymonitor_AllocationError) },
};
static MP_DEFINE_CONST_DICT(memorymonitor_module_globals, memorymonitor_module_globals_table);

const mp_obj_module_t memorymonitor_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&memorymonitor_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_memorymonitor, memorymonitor_module);
