// MicroPython's gc.c has no allocation hook, so micropython.mk has the linker route every call
// to gc_alloc, gc_realloc and gc_init from outside gc.c through these (GNU ld --wrap).
// Calls inside gc.c are not routed: a realloc that moves, or that gets a null pointer,
// allocates through gc.c's own gc_alloc, which is why realloc is measured here as a whole.
#include "py/gc.h"
#include "memorymonitor.h"

void *__real_gc_alloc(size_t n_bytes, unsigned int alloc_flags);
void *__real_gc_realloc(void *ptr, size_t n_bytes, bool allow_move);
void __real_gc_init(void *start, void *end);

// gc.c's rounding, without its overflow.
static size_t blocks_of(size_t n_bytes) {
    return n_bytes / MICROPY_BYTES_PER_GC_BLOCK + (n_bytes % MICROPY_BYTES_PER_GC_BLOCK != 0);
}

void *__wrap_gc_alloc(size_t n_bytes, unsigned int alloc_flags) {
    void *ptr = __real_gc_alloc(n_bytes, alloc_flags);
    if (ptr != NULL) {
        memorymonitor_track_allocation(blocks_of(n_bytes));
    }
    return ptr;
}

// Counted when it grows, at the new size; shrinks and frees are not allocations.
void *__wrap_gc_realloc(void *ptr_in, size_t n_bytes, bool allow_move) {
    // The old size is only needed, and gc_nbytes only paid for, while someone is watching.
    size_t old_blocks = ptr_in != NULL && mm_watching() ? gc_nbytes(ptr_in) / MICROPY_BYTES_PER_GC_BLOCK : 0;
    void *ptr = __real_gc_realloc(ptr_in, n_bytes, allow_move);
    size_t new_blocks = blocks_of(n_bytes);
    if (ptr != NULL && new_blocks > old_blocks) {
        memorymonitor_track_allocation(new_blocks);
    }
    return ptr;
}

// The heap is about to be (re)made: a monitor in the old one must not be reached again.
void __wrap_gc_init(void *start, void *end) {
    memorymonitor_reset();
    __real_gc_init(start, end);
}
