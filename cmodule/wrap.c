// MicroPython's gc.c has no allocation hook, so the allocator's entry points that
// cmodule/renames.txt lists are renamed __real_* where MicroPython defines them, and these take
// their names: every call from outside their files comes here. (Traceback entries and the end
// of a thread are routed too, in host.c.) Calls inside gc.c are not: a realloc that moves, or
// that gets a null pointer, allocates through gc.c's own gc_alloc, which is why realloc is
// measured here as a whole.
#include "py/gc.h"
#include "modmemorymonitor.h"
#include "host.h"
#include "track.h"

void *__real_gc_alloc(size_t n_bytes, unsigned int alloc_flags);
void *__real_gc_realloc(void *ptr, size_t n_bytes, bool allow_move);
void *__real_m_malloc_maybe(size_t num_bytes);
void __real_gc_init(void *start, void *end);
void __real_gc_sweep_all(void);

// gc.c's rounding. It overflows for sizes near SIZE_MAX, as gc.c's does, but those never
// allocate, and only a successful allocation is counted.
static inline size_t blocks_of(size_t n_bytes) {
    return (n_bytes + MICROPY_BYTES_PER_GC_BLOCK - 1) / MICROPY_BYTES_PER_GC_BLOCK;
}

// Thumb-1: Cortex-M0, M0+ and M23. GCC makes no tail calls there, so a call costs a frame.
#if defined(__thumb__) && !defined(__thumb2__)
#define MM_THUMB1 1
#else
#define MM_THUMB1 0
#endif

// Counts the allocation `ptr` of `blocks` blocks, if it was made; `alarms` as mm_track_if's.
// `blocks` is not 0 where `ptr` is not null (0 would tell the slow path that the thread is
// ending): gc.c makes no allocation of 0 blocks, and its callers here call it only with the
// blocks they count.
static inline __attribute__((always_inline)) void *mm_counted_if(void *ptr, size_t blocks, bool alarms) {
    if (ptr == NULL) {
        return ptr;
    }
    return mm_track_if(ptr, MM_TALLY_HERE(), blocks, alarms);
}

// The counting of the functions below. Inline in each on the unix port with threads (a
// thread-local tally, and flash to spare); elsewhere one copy, for flash.
#if MM_TALLY_TLS
#define MEMORYMONITOR_COUNTED static inline __attribute__((always_inline))
#else
#define MEMORYMONITOR_COUNTED static __attribute__((noinline))
#endif

MEMORYMONITOR_COUNTED void *mm_counted(void *ptr, size_t blocks) {
    return mm_counted_if(ptr, blocks, true);
}

static inline __attribute__((always_inline)) void *mm_counted_by(void *ptr, size_t blocks, bool alarms) {
    return alarms ? mm_counted(ptr, blocks) : mm_counted_if(ptr, blocks, false);
}

// On Thumb-1 a call of that copy would cost each allocation a call and a frame, so what most
// allocations are is counted inline: one block, told by its size before its block count (the
// compiler then knows the counter, and compares the threshold with 1), and, where no alarm is
// active anywhere (mm_alloc_sized), a few blocks, whose counter comes from a table instead of the
// shifting loop (track.h). Larger allocations, and growing reallocations, call the copy.
static inline __attribute__((always_inline)) void *mm_alloc_counting(size_t n_bytes, unsigned int alloc_flags, bool alarms) {
    #if MM_THUMB1
    void *ptr = __real_gc_alloc(n_bytes, alloc_flags);
    if (ptr != NULL && n_bytes <= MICROPY_BYTES_PER_GC_BLOCK) {
        return mm_track_at(ptr, MM_TALLY_HERE(), mm_counter_of_few(1), 1, alarms);
    }
    size_t blocks = blocks_of(n_bytes);
    if (!alarms && ptr != NULL && blocks <= MM_FEW_BLOCKS) {
        return mm_track_at(ptr, MM_TALLY_HERE(), mm_counter_of_few(blocks), blocks, false);
    }
    return mm_counted(ptr, blocks);
    #else
    return mm_counted_by(__real_gc_alloc(n_bytes, alloc_flags), blocks_of(n_bytes), alarms);
    #endif
}

static void *mm_alloc_watched(size_t n_bytes, unsigned int alloc_flags) {
    return mm_alloc_counting(n_bytes, alloc_flags, true);
}

// While no alarm is active anywhere, no allocation can need one: the unix port and Thumb-1 then
// count allocations without reading the thread's threshold (on a 64-bit CPU, whose counters have
// no half turn, with the increment alone), through this copy (routes[2]). Other boards have no
// such route, for flash. On Thumb-1 GCC would share one call of the slow path between its
// paths, and so set up its arguments before the branch, on the hot path of one block.
#if MM_TALLY_TLS || MM_THUMB1
#define MM_SIZED_ROUTE 1
#if MM_THUMB1 && !defined(__clang__)
__attribute__((optimize("no-crossjumping")))
#endif
static void *mm_alloc_sized(size_t n_bytes, unsigned int alloc_flags) {
    return mm_alloc_counting(n_bytes, alloc_flags, false);
}
#else
#define MM_SIZED_ROUTE 0
#endif

// Counted when it grows, at the new size; shrinks and frees are not allocations, and gc.c makes
// them in place. The old size is asked for before the block may be freed. Asking costs more
// than counting, so it is skipped where the answer cannot matter: a block that exists is at
// least one block, so a reallocation to one block never grows (on Thumb-1 mm_realloc_watched
// has sent those to gc.c already).
// A block that moved is freed at its old address, which the caller holds until this returns:
// an alarm raising here would leave the caller's pointer dangling, so the thread is held
// meanwhile (mm_hold), and the alarm raises at the thread's next allocation.
static inline __attribute__((always_inline)) void *mm_realloc_counting(void *ptr_in, size_t n_bytes, bool allow_move, bool alarms) {
    size_t new_blocks = blocks_of(n_bytes);
    bool grows = ptr_in == NULL || ((MM_THUMB1 || new_blocks > 1) && gc_nbytes(ptr_in) / MICROPY_BYTES_PER_GC_BLOCK < new_blocks);
    void *ptr = __real_gc_realloc(ptr_in, n_bytes, allow_move);
    if (!grows) {
        return ptr;
    }
    size_t moved = ptr_in != NULL && ptr != ptr_in;
    mm_tally_t *t = MM_TALLY_HERE();
    mm_hold(t, moved);
    ptr = mm_counted_by(ptr, new_blocks, alarms);
    mm_hold(t, -moved);
    return ptr;
}

#if MM_THUMB1
// The reallocation to one block (a string's buffer cut to its length, most often) goes to gc.c
// before the frame of the rest, which is a function of its own.
static __attribute__((noinline)) void *mm_realloc_grown(void *ptr_in, size_t n_bytes, bool allow_move) {
    return mm_realloc_counting(ptr_in, n_bytes, allow_move, true);
}

static void *mm_realloc_watched(void *ptr_in, size_t n_bytes, bool allow_move) {
    if (ptr_in != NULL && n_bytes <= MICROPY_BYTES_PER_GC_BLOCK) {
        return __real_gc_realloc(ptr_in, n_bytes, allow_move);
    }
    return mm_realloc_grown(ptr_in, n_bytes, allow_move);
}
#else
static void *mm_realloc_watched(void *ptr_in, size_t n_bytes, bool allow_move) {
    return mm_realloc_counting(ptr_in, n_bytes, allow_move, true);
}
#endif

#if MM_TALLY_TLS
static void *mm_realloc_sized(void *ptr_in, size_t n_bytes, bool allow_move) {
    return mm_realloc_counting(ptr_in, n_bytes, allow_move, false);
}
#elif MM_THUMB1
// Growing is rare enough to compare the threshold on either route.
#define mm_realloc_sized mm_realloc_watched
#endif

// m_malloc_maybe and m_realloc_maybe return null where they cannot allocate, and their callers
// take that as the answer: they are not ready for an exception (name interning holds its lock
// around them). The thread's tally says so meanwhile (mm_hold in track.h).
void *__real_m_realloc_maybe(void *ptr, MM_OLD_SIZE(size_t old_num_bytes) size_t new_num_bytes, bool allow_move);

static void *mm_malloc_maybe_held(size_t num_bytes) {
    return MM_HELD(__real_m_malloc_maybe(num_bytes));
}

static void *mm_realloc_maybe_held(void *ptr, MM_OLD_SIZE(size_t old_num_bytes) size_t new_num_bytes, bool allow_move) {
    return MM_HELD(__real_m_realloc_maybe(ptr, MM_OLD_SIZE(old_num_bytes) new_num_bytes, allow_move));
}

// Where the wrappers send each call: straight to MicroPython while no monitor is active
// anywhere, to the counting and holding functions above while one is (on the unix port and
// Thumb-1, to mm_alloc_sized and mm_realloc_sized while no alarm is). The core says when the list
// changes (mm_host_active, under its lock). So the idle path is one indirect jump, with no test
// and no frame: a tail call even on Thumb-1, where the compiler makes none. While a monitor is
// active anywhere, every thread counts its allocations in its own tally, which a monitor of
// another thread never reads; a thread that sees the change late only counts, or skips, what
// nobody watches: an alarm watches only the thread that entered it, which switched the route
// itself before its __enter__ returned.
typedef struct {
    void *(*alloc)(size_t, unsigned int);
    void *(*realloc)(void *, size_t, bool);
    void *(*malloc_maybe)(size_t);
    void *(*realloc_maybe)(void *, MM_OLD_SIZE(size_t) size_t, bool);
} memorymonitor_route_t;

static const memorymonitor_route_t routes[] = {
    { __real_gc_alloc, __real_gc_realloc, __real_m_malloc_maybe, __real_m_realloc_maybe },
    { mm_alloc_watched, mm_realloc_watched, mm_malloc_maybe_held, mm_realloc_maybe_held },
    #if MM_SIZED_ROUTE
    { mm_alloc_sized, mm_realloc_sized, mm_malloc_maybe_held, mm_realloc_maybe_held },
    #endif
};
memorymonitor_route_t memorymonitor_route = { __real_gc_alloc, __real_gc_realloc, __real_m_malloc_maybe, __real_m_realloc_maybe };

void mm_host_active(bool active) {
    const memorymonitor_route_t *to = &routes[active];
    #if MM_SIZED_ROUTE
    // Called under the registry lock, which guards the list: an alarm on it, or sizes only.
    if (active) {
        to = &routes[2];
        for (const mm_monitor_t *m = *mm_host_head(); m != NULL; m = m->next) {
            if (m->watch.tag == MM_WATCH_T_ALARM) {
                to = &routes[1];
                break;
            }
        }
    }
    #endif
    // Atomic stores: a thread that reads a pointer meanwhile gets the old one or the new one.
    // (Through one pointer, so that the compiler needs one address, not one per field.)
    memorymonitor_route_t *route = &memorymonitor_route;
    __asm__ ("" : "+r" (route));
    __atomic_store_n(&route->alloc, to->alloc, __ATOMIC_RELAXED);
    __atomic_store_n(&route->realloc, to->realloc, __ATOMIC_RELAXED);
    __atomic_store_n(&route->malloc_maybe, to->malloc_maybe, __ATOMIC_RELAXED);
    __atomic_store_n(&route->realloc_maybe, to->realloc_maybe, __ATOMIC_RELAXED);
}

#if MM_THUMB1
// Thumb-1: GCC makes no tail calls there, so the jump is written out. r3 is free:
// the arguments are in r0-r2, and lr still holds the caller's return address. The wrappers
// share one literal (the address of memorymonitor_route).
__asm__ (
    ".section .text.gc_alloc,\"ax\",%progbits\n"
    ".balign 4\n"
    ".global gc_alloc\n"
    ".global gc_realloc\n"
    ".type gc_alloc, %function\n"
    ".type gc_realloc, %function\n"
    ".thumb_func\n"
    "gc_alloc:\n"
    "ldr r3, 1f\n"
    "ldr r3, [r3, #0]\n"
    "bx r3\n"
    ".thumb_func\n"
    "gc_realloc:\n"
    "ldr r3, 1f\n"
    "ldr r3, [r3, #4]\n"
    "bx r3\n"
    ".global m_malloc_maybe\n"
    ".type m_malloc_maybe, %function\n"
    ".thumb_func\n"
    "m_malloc_maybe:\n"
    "ldr r3, 1f\n"
    "ldr r3, [r3, #8]\n"
    "bx r3\n"
    ".balign 4\n"
    "1: .word memorymonitor_route\n"
    ".size gc_alloc, 6\n"
    ".size gc_realloc, 6\n"
    ".size m_malloc_maybe, 1b + 4 - m_malloc_maybe\n"
    ".previous\n"
    );
#else
// Not inlined into their callers (LTO could): one indirect jump each, in one place.
__attribute__((noinline)) void *gc_alloc(size_t n_bytes, unsigned int alloc_flags) {
    return __atomic_load_n(&memorymonitor_route.alloc, __ATOMIC_RELAXED)(n_bytes, alloc_flags);
}

__attribute__((noinline)) void *gc_realloc(void *ptr_in, size_t n_bytes, bool allow_move) {
    return __atomic_load_n(&memorymonitor_route.realloc, __ATOMIC_RELAXED)(ptr_in, n_bytes, allow_move);
}

__attribute__((noinline)) void *m_malloc_maybe(size_t num_bytes) {
    return __atomic_load_n(&memorymonitor_route.malloc_maybe, __ATOMIC_RELAXED)(num_bytes);
}
#endif

// In C on every CPU: with MICROPY_MALLOC_USES_ALLOCATED_SIZE it takes four arguments, which leave
// no register free on Thumb-1 for the jump above.
__attribute__((noinline)) void *m_realloc_maybe(void *ptr, MM_OLD_SIZE(size_t old_num_bytes) size_t new_num_bytes, bool allow_move) {
    return __atomic_load_n(&memorymonitor_route.realloc_maybe, __ATOMIC_RELAXED)(ptr, MM_OLD_SIZE(old_num_bytes) new_num_bytes, allow_move);
}

// The heap is about to be made anew, or every object in it freed (a soft reset): a monitor in
// it must not be reached again, not even by an allocation a finaliser makes during the sweep.
// (So CircuitPython's name for the core's reset, memorymonitor_reset, is left out of firmware
// linked with --gc-sections.)
static void mm_forget_monitors(void) {
    mm_call(NULL, MM_OP_T_RESET, 0);
    memorymonitor_host_reset();
}

void gc_init(void *start, void *end) {
    mm_forget_monitors();
    __real_gc_init(start, end);
}

void gc_sweep_all(void) {
    mm_forget_monitors();
    __real_gc_sweep_all();
}
