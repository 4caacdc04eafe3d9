// memorymonitor.AllocationSize: the sequence protocol; the counts live in Rust.
#include "py/runtime.h"
#include "modmemorymonitor.h"

//| class AllocationSize:
//|     def __init__(self) -> None:
//|         """Tracks the number of allocations in power of two buckets."""
static mp_obj_t allocationsize_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    mm_monitor_t *self = memorymonitor_new(type);
    return MP_OBJ_FROM_PTR(self);
}

//|     bytes_per_block: int
//|     """Number of bytes per block"""

//|     def __enter__(self) -> AllocationSize:
//|         """Clears counts and resumes tracking."""
//|     def __exit__(self, *args) -> None:
//|         """Automatically pauses allocation tracking when exiting a context."""
//|     def __len__(self) -> int:
//|         """Returns the number of allocation buckets."""
static mp_obj_t allocationsize_unary_op(mp_unary_op_t op, mp_obj_t self_in) {
    switch (op) {
        case MP_UNARY_OP_LEN:
            return MP_OBJ_NEW_SMALL_INT(MM_BUCKETS);
        default:
            return MP_OBJ_NULL;
    }
}

//|     def __getitem__(self, index: int) -> Optional[int]:
//|         """Returns the allocation count for the given bucket."""
static mp_obj_t allocationsize_subscr(mp_obj_t self_in, mp_obj_t index, mp_obj_t value) {
    if (value != MP_OBJ_SENTINEL) {
        // The counts are read-only: MicroPython raises its own TypeError for store and delete.
        return MP_OBJ_NULL;
    }
    size_t bucket = mp_get_index(&memorymonitor_allocationsize_type, MM_BUCKETS, index, false);
    return MP_OBJ_NEW_SMALL_INT(mm_count(MP_OBJ_TO_PTR(self_in), bucket));
}

// Iterates over a snapshot, so a loop that allocates does not see its own allocations.
static mp_obj_t allocationsize_getiter(mp_obj_t self_in, mp_obj_iter_buf_t *iter_buf) {
    mp_obj_t counts[MM_BUCKETS];
    for (size_t b = 0; b < MM_BUCKETS; b++) {
        counts[b] = MP_OBJ_NEW_SMALL_INT(mm_count(MP_OBJ_TO_PTR(self_in), b));
    }
    return mp_getiter(mp_obj_new_tuple(MM_BUCKETS, counts), iter_buf);
}

static const mp_rom_map_elem_t allocationsize_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR___enter__), MP_ROM_PTR(&memorymonitor_enter_obj) },
    { MP_ROM_QSTR(MP_QSTR___exit__), MP_ROM_PTR(&memorymonitor_exit_obj) },
    { MP_ROM_QSTR(MP_QSTR_bytes_per_block), MP_ROM_INT(MICROPY_BYTES_PER_GC_BLOCK) },
};
static MP_DEFINE_CONST_DICT(allocationsize_locals_dict, allocationsize_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(
    memorymonitor_allocationsize_type,
    MP_QSTR_AllocationSize,
    MP_TYPE_FLAG_ITER_IS_GETITER,
    make_new, allocationsize_make_new,
    unary_op, allocationsize_unary_op,
    subscr, allocationsize_subscr,
    iter, allocationsize_getiter,
    locals_dict, &allocationsize_locals_dict
    );
