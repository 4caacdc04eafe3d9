// The memorymonitor module: its globals, AllocationError, and the root of the active list.
#include "py/runtime.h"
#include "modmemorymonitor.h"

// The head of the active list. As a root pointer it keeps every active monitor alive.
MP_REGISTER_ROOT_POINTER(struct mm_monitor_t *memorymonitor_active);

//| class AllocationError(Exception):
//|     """Catchall exception for allocation related errors."""
MP_DEFINE_CONST_OBJ_TYPE(
    mp_type_memorymonitor_AllocationError,
    MP_QSTR_AllocationError,
    MP_TYPE_FLAG_NONE,
    make_new, mp_obj_exception_make_new,
    print, mp_obj_exception_print,
    attr, mp_obj_exception_attr,
    parent, &mp_type_Exception
    );

mm_monitor_t *memorymonitor_new(const mp_obj_type_t *type) {
    // Zeroed, a monitor is an inactive AllocationSize.
    mm_monitor_t *self = m_new0(mm_monitor_t, 1);
    self->base = type;
    return self;
}

MP_NORETURN void memorymonitor_raise(const mp_obj_type_t *type, mp_rom_error_text_t fmt, mp_uint_t a, mp_uint_t b) {
    // Building the exception allocates (2 blocks where exceptions chain). An active alarm of
    // this thread would fire on that and raise AllocationError in place of this exception.
    mm_mute(true);
    mp_obj_t exc = mp_obj_new_exception_msg_varg(type, fmt, a, b);
    mm_mute(false);
    nlr_raise(exc);
}

void memorymonitor_check(mm_status_t status) {
    if (status == MM_STATUS_T_OK) {
        return;
    }
    // One call for every refusal: "Already running" ignores the arguments the others use.
    const mp_obj_type_t *type = &mp_type_RuntimeError;
    mp_rom_error_text_t text = MP_ERROR_TEXT("Already running");
    qstr name = MP_QSTR_count;
    switch (status) {
        case MM_STATUS_T_MINIMUM_BELOW_ONE:
            name = MP_QSTR_minimum_block_count;
            MP_FALLTHROUGH
        case MM_STATUS_T_NEGATIVE_COUNT:
            type = &mp_type_ValueError;
            text = MP_ERROR_TEXT("%q must be >= %d");
            break;
        #if MM_TALLY_POOL
        case MM_STATUS_T_NO_TALLY:
            text = MP_ERROR_TEXT("too many threads");
            break;
        #endif
        default:
            // MM_STATUS_T_ALREADY_ACTIVE (the shim passes no unknown op).
            break;
    }
    memorymonitor_raise(type, text, name, status == MM_STATUS_T_MINIMUM_BELOW_ONE);
}

static mp_obj_t memorymonitor_enter(mp_obj_t self_in) {
    memorymonitor_check(mm_call(MP_OBJ_TO_PTR(self_in), MM_OP_T_ENTER, 0));
    return self_in;
}
MP_DEFINE_CONST_FUN_OBJ_1(memorymonitor_enter_obj, memorymonitor_enter);

static mp_obj_t memorymonitor_exit(size_t n_args, const mp_obj_t *args) {
    mm_call(MP_OBJ_TO_PTR(args[0]), MM_OP_T_EXIT, 0);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(memorymonitor_exit_obj, 1, 4, memorymonitor_exit);

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
