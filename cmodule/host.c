// What the Rust core asks of MicroPython and CircuitPython (see host.h).
#include "py/runtime.h"
#include "py/mpstate.h"
#include "py/mphal.h"
#include "modmemorymonitor.h"
#include "host.h"
#include "track.h"

mm_monitor_t **mm_host_head(void) {
    return &MP_STATE_VM(memorymonitor_active);
}

// Each thread's tally (see modmemorymonitor.h for which kind this port has).
#if MM_TALLY_TLS
// On a hosted port each MicroPython thread is an OS thread, and its tally is thread-local: one
// instruction from the allocator wrappers.
__thread mm_tally_t mm_thread_tally;

mm_tally_t *mm_host_tally(void) {
    return &mm_thread_tally;
}

mm_tally_t *mm_host_claim_tally(void) __attribute__((alias("mm_host_tally")));

#elif MM_TALLY_PER_CORE
// rp2: one MicroPython thread per core, so one tally per core; they live as long as the firmware.
#include "pico/multicore.h"

static mm_tally_t tallies[2];

mm_tally_t *mm_host_tally(void) {
    return &tallies[get_core_num()];
}

// A thread claims its core's tally.
mm_tally_t *mm_host_claim_tally(void) __attribute__((alias("mm_host_tally")));

#elif MM_TALLY_POOL
// Any other port with threads: a small pool, a tally claimed by a thread's first __enter__ and
// kept by that thread until it ends (or a soft reset). A thread that claimed none counts into a
// tally that no monitor uses. How many threads at once may have monitors active: 8 unless the
// build says otherwise (-DMEMORYMONITOR_TALLY_POOL_SIZE=16 in its C flags, say).
#ifdef MEMORYMONITOR_TALLY_POOL_SIZE
#define MM_TALLY_POOL_SIZE (MEMORYMONITOR_TALLY_POOL_SIZE)
#else
#define MM_TALLY_POOL_SIZE (8)
#endif
_Static_assert(MM_TALLY_POOL_SIZE >= 1, "MEMORYMONITOR_TALLY_POOL_SIZE must be at least 1");

static struct {
    const void *owner;
    mm_tally_t tally;
} pool[MM_TALLY_POOL_SIZE];
static mm_tally_t unclaimed;

mm_tally_t *mm_host_tally(void) {
    const void *self = mp_thread_get_state();
    for (size_t i = 0; i < MM_TALLY_POOL_SIZE; i++) {
        if (__atomic_load_n(&pool[i].owner, __ATOMIC_RELAXED) == self) {
            return &pool[i].tally;
        }
    }
    return &unclaimed;
}

mm_tally_t *mm_host_claim_tally(void) {
    const void *self = mp_thread_get_state();
    mm_tally_t *t = mm_host_tally();
    for (size_t i = 0; t == &unclaimed && i < MM_TALLY_POOL_SIZE; i++) {
        if (__atomic_load_n(&pool[i].owner, __ATOMIC_RELAXED) == NULL) {
            __atomic_store_n(&pool[i].owner, self, __ATOMIC_RELAXED);
            t = &pool[i].tally;
        }
    }
    return t == &unclaimed ? NULL : t;
}

// The tally is let go after its monitors are exited, so the next thread to claim it finds none
// of them; the counts it keeps mean nothing to a monitor entered later.
// (A thread's state lives on its stack, so a later thread may have the same address: without
// this it would also inherit the tally.)
static void mm_thread_end(void) {
    const void *self = mp_thread_get_state();
    for (size_t i = 0; i < MM_TALLY_POOL_SIZE; i++) {
        if (__atomic_load_n(&pool[i].owner, __ATOMIC_RELAXED) == self) {
            mm_tally_end(&pool[i].tally);
            __atomic_store_n(&pool[i].owner, NULL, __ATOMIC_RELAXED);
        }
    }
}

void memorymonitor_host_reset(void) {
    memset(pool, 0, sizeof(pool));
}

#else
// No threads (CircuitPython's boards, and MicroPython ports built without them): one tally.
mm_tally_t mm_static_tally;

mm_tally_t *mm_host_tally(void) {
    return &mm_static_tally;
}

mm_tally_t *mm_host_claim_tally(void) __attribute__((alias("mm_host_tally")));
#endif

#if MICROPY_PY_THREAD
// py/modthread.c calls mp_thread_finish() last in every Python thread, on every port (1.25 to
// master, and CircuitPython): each host's renames.txt renames that call to this function, so
// that a thread that ends with monitors active exits them (a size keeps its counts) and lets its
// tally go, before the thread's storage does.
#if !MM_TALLY_POOL
// A thread-local tally, or a core's, stays for the next thread (on rp2, the core's next one),
// which must find no monitor of this one's.
static void mm_thread_end(void) {
    mm_tally_end(mm_host_tally());
}
#endif

void memorymonitor_thread_finish(void);

__attribute__((noinline)) void memorymonitor_thread_finish(void) {
    mm_thread_end();
    mp_thread_finish();
}
#endif

// The interpreter adds an entry to an exception's traceback as the exception leaves each frame,
// after the frame's handlers have let go of it: an AllocationError raised from that allocation
// would leave the frame without running its `with` exits (its monitors would stay active), and
// would replace the exception the program raised. So objexcept.c's function is renamed (the
// renames.txt of each host) and this one, in its place, mutes the thread's alarms meanwhile, as
// they are while the module builds its own errors; size monitors still count the entry.
void __real_mp_obj_exception_add_traceback(mp_obj_t self_in, qstr file, size_t line, qstr block);

__attribute__((noinline)) void mp_obj_exception_add_traceback(mp_obj_t self_in, qstr file, size_t line, qstr block) {
    mm_mute(true);
    __real_mp_obj_exception_add_traceback(self_in, file, line, block);
    mm_mute(false);
}

#if MICROPY_TRACKED_ALLOC
// Memory for C libraries that MicroPython runs (mbedtls, the Pico W's Wi-Fi driver, BTstack,
// ffi): they take a failure as a null pointer and cannot take an exception, which would leave
// them half-way. malloc.c's m_tracked_calloc calls m_malloc_maybe inside malloc.c, where the
// call never reaches the module's, so it is renamed too (the renames.txt of each host) and held
// here, as the m_*_maybe are (MM_HELD).
void *__real_m_tracked_calloc(size_t nmemb, size_t size);

__attribute__((noinline)) void *m_tracked_calloc(size_t nmemb, size_t size) {
    return MM_HELD(__real_m_tracked_calloc(nmemb, size));
}
#endif

void mm_host_raise_allocation_error(size_t blocks) {
    // An allocation outside any nlr_push (the REPL reading a line, say) has nowhere to raise
    // to: nlr_jump would abort the interpreter. The alarm is already stopped; let it pass.
    if (MP_STATE_THREAD(nlr_top) == NULL) {
        return;
    }
    // Another alarm of this thread must not replace this one's error with its own.
    memorymonitor_raise(&mp_type_memorymonitor_AllocationError,
        MP_ERROR_TEXT("Attempt to allocate %lu blocks"), blocks, 0);
}

size_t mm_host_critical_enter(void) {
    return MICROPY_BEGIN_ATOMIC_SECTION();
}

void mm_host_critical_exit(size_t state) {
    MICROPY_END_ATOMIC_SECTION(state);
}
