// memorymonitor.AllocationAlarm: argument parsing and exceptions; the state lives in Rust.
#include "py/runtime.h"
#include "modmemorymonitor.h"

//| class AllocationAlarm:
//|     def __init__(self, *, minimum_block_count: int = 1) -> None:
//|         """Throw an exception when an allocation of ``minimum_block_count`` or more blocks
//|         occurs while active."""
static mp_obj_t allocationalarm_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    enum { ARG_minimum_block_count };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_minimum_block_count, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 1} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    mm_monitor_t *self = memorymonitor_new(type);
    memorymonitor_check(mm_call(self, MM_OP_T_ALARM, args[ARG_minimum_block_count].u_int));
    return MP_OBJ_FROM_PTR(self);
}

//|     def ignore(self, count: int) -> AllocationAlarm:
//|         """Sets the number of applicable allocations to ignore before raising the exception.
//|         Automatically set back to zero at context exit."""
static mp_obj_t allocationalarm_ignore(mp_obj_t self_in, mp_obj_t count_in) {
    memorymonitor_check(mm_call(MP_OBJ_TO_PTR(self_in), MM_OP_T_IGNORE, mp_obj_get_int(count_in)));
    return self_in;
}
static MP_DEFINE_CONST_FUN_OBJ_2(allocationalarm_ignore_obj, allocationalarm_ignore);

//|     def __enter__(self) -> AllocationAlarm:
//|         """Enables the alarm."""
//|     def __exit__(self, *args) -> None:
//|         """Automatically disables the allocation alarm when exiting a context."""
static const mp_rom_map_elem_t allocationalarm_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_ignore), MP_ROM_PTR(&allocationalarm_ignore_obj) },
    { MP_ROM_QSTR(MP_QSTR___enter__), MP_ROM_PTR(&memorymonitor_enter_obj) },
    { MP_ROM_QSTR(MP_QSTR___exit__), MP_ROM_PTR(&memorymonitor_exit_obj) },
};
static MP_DEFINE_CONST_DICT(allocationalarm_locals_dict, allocationalarm_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(
    memorymonitor_allocationalarm_type,
    MP_QSTR_AllocationAlarm,
    MP_TYPE_FLAG_NONE,
    make_new, allocationalarm_make_new,
    locals_dict, &allocationalarm_locals_dict
    );
