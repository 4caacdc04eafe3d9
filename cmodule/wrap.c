// MicroPython's gc.c has no allocation hook, so micropython.mk has the linker route every call
// to gc_alloc, gc_realloc and gc_init from outside gc.c through these (GNU ld --wrap).
// Calls inside gc.c are not routed: a realloc that moves, or that gets a null pointer,
// allocates through gc.c's own gc_alloc, which is why realloc is measured here as a whole.
#include "py/gc.h"
#include "py/runtime.h"
#include "modmemorymonitor.h"

void *__real_gc_alloc(size_t n_bytes, unsigned int alloc_flags);
void *__real_gc_realloc(void *ptr, size_t n_bytes, bool allow_move);
void __real_gc_init(void *start, void *end);
void __real_gc_sweep_all(void);

// gc.c's rounding. Only used for a block that was allocated, so n_bytes is far from overflow.
static size_t blocks_of(size_t n_bytes) {
    return (n_bytes + MICROPY_BYTES_PER_GC_BLOCK - 1) / MICROPY_BYTES_PER_GC_BLOCK;
}

// While no monitor is active the wrappers hand over to gc.c at once, by a tail call: a load, a
// test and a jump per allocation. A monitor entered meanwhile by another thread watches only
// that thread, so it has no claim on this allocation.
static inline bool watching(void) {
    return __builtin_expect(__atomic_load_n(&mm_active, __ATOMIC_RELAXED), 0);
}

static MP_NOINLINE void *alloc_watched(size_t n_bytes, unsigned int alloc_flags) {
    void *ptr = __real_gc_alloc(n_bytes, alloc_flags);
    if (ptr != NULL) {
        memorymonitor_track_allocation(blocks_of(n_bytes));
    }
    return ptr;
}

void *__wrap_gc_alloc(size_t n_bytes, unsigned int alloc_flags) {
    if (watching()) {
        return alloc_watched(n_bytes, alloc_flags);
    }
    return __real_gc_alloc(n_bytes, alloc_flags);
}

// Counted when it grows, at the new size; shrinks and frees are not allocations.
static MP_NOINLINE void *realloc_watched(void *ptr_in, size_t n_bytes, bool allow_move) {
    size_t old_blocks = ptr_in != NULL ? gc_nbytes(ptr_in) / MICROPY_BYTES_PER_GC_BLOCK : 0;
    void *ptr = __real_gc_realloc(ptr_in, n_bytes, allow_move);
    size_t new_blocks = blocks_of(n_bytes);
    if (ptr != NULL && new_blocks > old_blocks) {
        memorymonitor_track_allocation(new_blocks);
    }
    return ptr;
}

void *__wrap_gc_realloc(void *ptr_in, size_t n_bytes, bool allow_move) {
    if (watching()) {
        return realloc_watched(ptr_in, n_bytes, allow_move);
    }
    return __real_gc_realloc(ptr_in, n_bytes, allow_move);
}

// The heap is about to be made anew, or every object in it freed (a soft reset): a monitor in
// it must not be reached again, not even by an allocation a finaliser makes during the sweep.
void __wrap_gc_init(void *start, void *end) {
    memorymonitor_reset();
    __real_gc_init(start, end);
}

void __wrap_gc_sweep_all(void) {
    memorymonitor_reset();
    __real_gc_sweep_all();
}

mm_monitor_t *memorymonitor_new(const mp_obj_type_t *type) {
    // Under --wrap, this file's own reference to gc_alloc is routed to the wrapper too, unless
    // the link bypassed the wrapping (LTO). The volatile keeps the compiler from deciding that
    // two functions' addresses differ.
    void *volatile routed = (void *)gc_alloc;
    if (routed != (void *)__wrap_gc_alloc) {
        mp_raise_msg(&mp_type_ImportError, MP_ERROR_TEXT("allocator not wrapped (LTO?)"));
    }
    return memorymonitor_zeroed(type);
}
