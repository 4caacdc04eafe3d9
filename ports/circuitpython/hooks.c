// CircuitPython's allocation hook. Its gc.c and main.c call the hooks in every file compiled with
// CIRCUITPY_MEMORYMONITOR set, which circuitpython.mk does for all of them; this file is
// compiled with the same flags, so the check below stands for gc.c's.
#include "py/runtime.h"
#include "modmemorymonitor.h"
#include "host.h"
#include "track.h"

#if !CIRCUITPY_MEMORYMONITOR
#error "memorymonitor: CircuitPython's allocation hooks are off: build through ports/circuitpython/circuitpython.mk"
#endif

static bool active;

void mm_host_active(bool now) {
    __atomic_store_n(&active, now, __ATOMIC_RELAXED);
}

// Kept out of line under LTO (SAMD and RP2040 boards): gc.c calls it from gc_alloc and
// gc_realloc, and one copy costs less flash than two; the firmware checks find both calls. Sized
// for flash even where the port builds for speed (-O3 on RP2040), where GCC would lay out a
// second copy of the increment for one-block allocations, for a branch less.
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("Os")))
#endif
__attribute__((noinline)) void memorymonitor_track_allocation(size_t blocks) {
    mm_track_hook(__atomic_load_n(&active, __ATOMIC_RELAXED), MM_TALLY_HERE(), blocks);
}

// CircuitPython's m_*_maybe return null where they cannot allocate, and their callers take that
// as the answer, not ready for an exception (name interning): their definitions are renamed
// __real_* (renames.txt beside this file), so that every call from outside malloc.c comes here,
// and the thread's tally says so meanwhile (mm_hold in track.h). Not inlined into the callers,
// which LTO could do: one copy each.
void *__real_m_malloc_maybe(size_t num_bytes);
void *__real_m_malloc_maybe_without_collect(size_t num_bytes);
void *__real_m_realloc_maybe(void *ptr, MM_OLD_SIZE(size_t old_num_bytes) size_t new_num_bytes, bool allow_move);

__attribute__((noinline)) void *m_malloc_maybe(size_t num_bytes) {
    return MM_HELD(__real_m_malloc_maybe(num_bytes));
}

__attribute__((noinline)) void *m_malloc_maybe_without_collect(size_t num_bytes) {
    return MM_HELD(__real_m_malloc_maybe_without_collect(num_bytes));
}

__attribute__((noinline)) void *m_realloc_maybe(void *ptr, MM_OLD_SIZE(size_t old_num_bytes) size_t new_num_bytes, bool allow_move) {
    return MM_HELD(__real_m_realloc_maybe(ptr, MM_OLD_SIZE(old_num_bytes) new_num_bytes, allow_move));
}
