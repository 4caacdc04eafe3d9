// The allocation path's hot path, the one of every host: inline in the function that MicroPython's
// counting wrappers share on a board (in each of them on unix, and in the allocation wrappers
// for the commonest allocations on Thumb-1; wrap.c), and in CircuitPython's hook
// (ports/circuitpython/hooks.c). Bucket, increment, one compare: only an allocation that an
// alarm of the thread may want, or that brings a counter to a half turn, calls into Rust
// (mm_track_slow). The Rust tests hold the model it is checked against (src/bucket.rs,
// src/ffi/tests.rs, on 64 and 32 bits). Needs nothing of MicroPython.
#ifndef MEMORYMONITOR_TRACK_H
#define MEMORYMONITOR_TRACK_H

#include <stdint.h>
#include "memorymonitor.h"

// The hot path counts an allocation in the counter of its bucket; on 64-bit CPUs there is one
// counter for every bit length, and the last bucket is the sum of the counters from its own on
// (MM_COUNTERS in memorymonitor.h). So the counter is the bucket, capped at the last counter.
#define MM_LAST_COUNTER (MM_COUNTERS - 1)

// The layout src/monitor.rs asserts too: the counters, then the threshold and the hold depth,
// all words. The Rust tests compare the two on 64- and 32-bit builds (make test).
_Static_assert(sizeof(mm_tally_t) == (MM_COUNTERS + 2) * sizeof(size_t), "mm_tally_t is MM_COUNTERS counters, a threshold, a hold depth");
_Static_assert(offsetof(mm_tally_t, threshold) == MM_COUNTERS * sizeof(size_t), "mm_tally_t is MM_COUNTERS counters, a threshold, a hold depth");

// The counter of an allocation of `blocks` blocks, at least 1 and at most SIZE_MAX / 2 + 1 (as
// any real allocation's block count is: a block is at least 2 bytes): the smallest b with
// blocks <= 2**b, capped at the last counter. That is the bit length of blocks - 1, which is
// the index of the top bit of 2 * (blocks - 1) + 1 (never 0, so the instruction is defined).
// With 64 counters it needs no capping, and the compiler leaves the cap out.
static inline __attribute__((always_inline)) size_t mm_counter_by_leading_zeros(size_t blocks) {
    size_t top = sizeof(size_t) * 8 - 1 - (size_t)__builtin_clzl(2 * (blocks - 1) + 1);
    return top < MM_LAST_COUNTER ? top : MM_LAST_COUNTER;
}

// The same by shifting, one step per bucket, for CPUs without a count-leading-zeros instruction
// (Thumb-1: Cortex-M0/M0+/M23; RISC-V without the Zbb extension, ESP32-C3 and C6), where the
// compiler would call the library's __clzsi2, costing flash and time; most allocations are of
// one block, which takes no step. The Rust core never computes a bucket, so this is the one
// place that knows which CPUs lack the instruction; tools/check-clz.sh checks the choice in the
// disassembly for each CPU.
static inline __attribute__((always_inline)) size_t mm_counter_by_shifting(size_t blocks) {
    size_t counter = 0;
    size_t rest = blocks - 1;
    if (rest != 0) {
        // Not unrolled, not even by -O3 (CircuitPython's RP2040 build): its steps (up to 15 with
        // 32-bit words, 63 on RV64 without Zbb) laid out would be larger than all the rest of
        // the hot path.
        #pragma GCC unroll 1
        do {
            counter++;
            rest >>= 1;
        } while (rest != 0 && counter < MM_LAST_COUNTER);
    }
    return counter;
}

// The counter of an allocation of `blocks` blocks, at least 1 and at most MM_FEW_BLOCKS, from a
// table: 16 bytes that spare the loop above (up to four steps) MicroPython's allocations of a
// few blocks on Thumb-1 (wrap.c). Not in CircuitPython's hook, whose boards are short of flash.
#define MM_FEW_BLOCKS 16
static inline __attribute__((always_inline)) size_t mm_counter_of_few(size_t blocks) {
    static const uint8_t counters[MM_FEW_BLOCKS] = { 0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4 };
    return counters[blocks - 1];
}

static inline __attribute__((always_inline)) size_t mm_counter(size_t blocks) {
    #if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_8M_BASE__) || (defined(__riscv) && !defined(__riscv_zbb))
    return mm_counter_by_shifting(blocks);
    #else
    return mm_counter_by_leading_zeros(blocks);
    #endif
}

// A counter's half turn (all but its top bit clear) is where the slow path must check the
// differences of the thread's size monitors. It comes every 2**31 increments on 32-bit CPUs.
// With 64-bit counters a difference is exact below 2**64 allocations, which no monitor lives
// to see, so the check is left out there (the Rust model of the tests keeps it; it changes
// nothing).
#define MM_HALF_TURN_CHECK (SIZE_MAX <= UINT32_MAX)

#define MM_STRINGIFY_(x) #x
#define MM_STRINGIFY(x) MM_STRINGIFY_(x)

// Counts the allocation `ptr` of `blocks` blocks (at least 1: MM_THREAD_END is 0) in the calling
// thread's own tally `t` (MM_TALLY_HERE(); on x86-64 with an ELF thread-local the increment
// addresses that thread-local itself and does not read `t`), and returns `ptr`, ending in a tail call where it
// takes the slow path. Only the owning thread writes its counters, so no atomic read-modify-write
// is needed (Cortex-M0 has none; x86's costs tens of cycles): other threads only read them, under
// the registry lock, with relaxed loads. On x86-64 the increment is one instruction, which does
// not tear an aligned word. `alarms` (a constant) false leaves the threshold unread, for a host
// that knows no alarm is active anywhere (wrap.c on the unix port and Thumb-1).
// (mm_track_at: the same with the counter `index` of `blocks` given by the caller.)
static inline __attribute__((always_inline)) void *mm_track_at(void *ptr, mm_tally_t *t, size_t index, size_t blocks, bool alarms) {
    size_t *counter = &t->counts[index];
    // Only the owning thread writes its threshold.
    size_t threshold = alarms ? *(volatile size_t *)&t->threshold : SIZE_MAX;
    #if MM_HALF_TURN_CHECK
    size_t c = __atomic_load_n(counter, __ATOMIC_RELAXED) + 1;
    __atomic_store_n(counter, c, __ATOMIC_RELAXED);
    if (__builtin_expect((alarms && blocks >= threshold) || (c << 1) == 0, 0)) {
        return mm_track_slow(ptr, t, blocks);
    }
    #else
    #if defined(__x86_64__) && defined(MM_TALLY_TLS_VAR)
    // `t` is that thread-local, at a fixed offset from the thread pointer: the increment is one
    // instruction. (Named as an operand, the compiler would keep the tally's address in a
    // register, which the slow path's call needs, two instructions more per allocation.)
    (void)counter;
    __asm__ ("incq %%fs:" MM_STRINGIFY(MM_TALLY_TLS_VAR) "@tpoff(,%0,8)" : : "r" (index) : "memory");
    #elif defined(__x86_64__)
    __asm__ ("incq %0" : "+m" (*counter));
    #else
    __atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
    #endif
    if (__builtin_expect(alarms && blocks >= threshold, 0)) {
        return mm_track_slow(ptr, t, blocks);
    }
    #endif
    return ptr;
}

static inline __attribute__((always_inline)) void *mm_track_if(void *ptr, mm_tally_t *t, size_t blocks, bool alarms) {
    return mm_track_at(ptr, t, mm_counter(blocks), blocks, alarms);
}

static inline __attribute__((always_inline)) void *mm_track(void *ptr, mm_tally_t *t, size_t blocks) {
    return mm_track_if(ptr, t, blocks, true);
}

// Enters (by 1) or leaves (by -1) an allocation whose caller takes a failure as a null pointer
// and cannot take an exception: m_malloc_maybe and m_realloc_maybe, which MicroPython's name
// interning calls under its lock, and their kin. The calling thread's tally `t` counts how deep
// (Tally::held); an alarm that fires meanwhile holds its error for the thread's next allocation
// outside, or its own exit. Only the owning thread writes it. (wrap.c, ports/circuitpython/hooks.c)
static inline __attribute__((always_inline)) void mm_hold(mm_tally_t *t, size_t by) {
    __atomic_store_n(&t->held, __atomic_load_n(&t->held, __ATOMIC_RELAXED) + by, __ATOMIC_RELAXED);
}

// CircuitPython's allocation hook: its py/gc.c calls it with the block count of each allocation
// (0 for none). Defined in ports/circuitpython/hooks.c, and by the test hosts, as a call of
// mm_track_hook: one call per allocation, as CircuitPython's own hook makes.
void memorymonitor_track_allocation(size_t blocks);

// The hook's body: counts in the calling thread's tally `t` while `active`, the host's copy of
// what mm_host_active last said (read with a relaxed load).
static inline __attribute__((always_inline)) void mm_track_hook(bool active, mm_tally_t *t, size_t blocks) {
    if (active && blocks != 0) {
        (void)mm_track(NULL, t, blocks);
    }
}

#endif // MEMORYMONITOR_TRACK_H
