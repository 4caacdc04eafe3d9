// A stand-in host for the Rust core's unit tests, and C tests of the C API used the way
// cmodule/ uses it. Linked only into the unit-test binary (see build.rs and src/ffi/tests.rs).
#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include "host.h"

// The thread-local tally, as cmodule/modmemorymonitor.h declares it on hosted ports, so that the
// hot path below is the one the unix port compiles (on x86-64, the thread-pointer increment).
_Thread_local mm_tally_t tally __attribute__((tls_model("local-exec")));
#define MM_TALLY_TLS_VAR tally
#include "track.h"

static mm_monitor_t *head;
static _Thread_local size_t raised;

mm_monitor_t **mm_host_head(void) {
    return &head;
}

// A thread-local tally, as on hosted ports, and a key whose destructor ends the tally's monitors
// when a thread that entered one ends (cmodule/host.c has MicroPython's end of a thread do it).
static pthread_key_t tally_key;
static pthread_once_t tally_key_once = PTHREAD_ONCE_INIT;

// How many thread ends raised: there must be none (a host's thread end cannot take a raise).
static size_t end_raised;

static void tally_end(void *t) {
    size_t before = raised;
    mm_tally_end(t);
    if (raised != before) {
        __atomic_fetch_add(&end_raised, 1, __ATOMIC_RELAXED);
    }
}

size_t mm_harness_end_raised(void) {
    return __atomic_load_n(&end_raised, __ATOMIC_RELAXED);
}

static void tally_key_make(void) {
    pthread_key_create(&tally_key, tally_end);
}

mm_tally_t *mm_host_tally(void) {
    return &tally;
}

mm_tally_t *mm_host_claim_tally(void) {
    pthread_once(&tally_key_once, tally_key_make);
    pthread_setspecific(tally_key, &tally);
    return &tally;
}

// What mm_host_active last said, which the hook reads as CircuitPython's does.
static bool active;

void mm_host_active(bool now) {
    __atomic_store_n(&active, now, __ATOMIC_RELAXED);
}

bool mm_harness_active(void) {
    return __atomic_load_n(&active, __ATOMIC_RELAXED);
}

// The hot path of every host (cmodule/track.h), as CircuitPython's hook runs it.
void memorymonitor_track_allocation(size_t blocks) {
    mm_track_hook(mm_harness_active(), &tally, blocks);
}

// The C counter functions, all of them whatever this CPU uses, for the Rust tests to compare
// with Rust's buckets: 0 by leading zeros, 1 by shifting, 2 by the table (SIZE_MAX beyond it).
size_t mm_harness_counter(int how, size_t blocks) {
    switch (how) {
        case 0:
            return mm_counter_by_leading_zeros(blocks);
        case 1:
            return mm_counter_by_shifting(blocks);
        default:
            return blocks <= MM_FEW_BLOCKS ? mm_counter_of_few(blocks) : SIZE_MAX;
    }
}

// The tally's layout as C sees it, for the Rust tests to compare with Rust's: its size, the
// offset of its threshold, and its number of counters.
void mm_harness_tally_layout(size_t layout[3]) {
    layout[0] = sizeof(mm_tally_t);
    layout[1] = offsetof(mm_tally_t, threshold);
    layout[2] = MM_COUNTERS;
}

// Records the alarm instead of raising: the core must cope with a host that cannot raise.
void mm_host_raise_allocation_error(size_t blocks) {
    raised = blocks;
}

// Never called on the host, which has compare-and-swap.
size_t mm_host_critical_enter(void) {
    return 0;
}

void mm_host_critical_exit(size_t state) {
    (void)state;
}

// The block count of the last alarm raised on this thread, or 0; clears it.
size_t mm_harness_take_raised(void) {
    size_t r = raised;
    raised = 0;
    return r;
}

static int failures;

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            printf("%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            failures++; \
        } \
    } while (0)

// How a host object embeds a monitor: the monitor first, its `base` the host's header.
typedef struct {
    mm_monitor_t monitor;
} host_obj_t;

static int on_list(const mm_monitor_t *m) {
    for (const mm_monitor_t *n = head; n != NULL; n = n->next) {
        if (n == m) {
            return 1;
        }
    }
    return 0;
}

static void test_size(void) {
    static const char header;
    host_obj_t obj;
    memset(&obj, 0, sizeof(obj));
    obj.monitor.base = &header;
    CHECK(obj.monitor.base == &header);
    CHECK(!on_list(&obj.monitor));

    memorymonitor_track_allocation(3);
    CHECK(mm_count(&obj.monitor, 2) == 0);

    CHECK(mm_call(&obj.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_OK);
    CHECK(mm_call(&obj.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_ALREADY_ACTIVE);
    CHECK(mm_harness_active());
    memorymonitor_track_allocation(3);
    memorymonitor_track_allocation(4);
    memorymonitor_track_allocation(5);
    memorymonitor_track_allocation(0);
    CHECK(mm_count(&obj.monitor, 2) == 2);
    CHECK(mm_count(&obj.monitor, 3) == 1);
    CHECK(mm_count(&obj.monitor, 0) == 0);
    CHECK(mm_count(&obj.monitor, MM_BUCKETS) == 0);

    CHECK(mm_call(&obj.monitor, MM_OP_T_EXIT, 0) == MM_STATUS_T_OK);
    CHECK(mm_call(&obj.monitor, MM_OP_T_EXIT, 0) == MM_STATUS_T_OK);
    CHECK(!on_list(&obj.monitor));
    CHECK(!mm_harness_active());
    memorymonitor_track_allocation(3);
    CHECK(mm_count(&obj.monitor, 2) == 2);

    CHECK(mm_call(&obj.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_OK);
    CHECK(mm_count(&obj.monitor, 2) == 0);
    CHECK(mm_call(&obj.monitor, MM_OP_T_EXIT, 0) == MM_STATUS_T_OK);
}

static void test_alarm(void) {
    host_obj_t alarm, size;
    memset(&alarm, 0, sizeof(alarm));
    memset(&size, 0, sizeof(size));
    CHECK(mm_call(&alarm.monitor, MM_OP_T_ALARM, 0) == MM_STATUS_T_MINIMUM_BELOW_ONE);
    CHECK(mm_call(&alarm.monitor, MM_OP_T_ALARM, -1) == MM_STATUS_T_MINIMUM_BELOW_ONE);
    CHECK(mm_call(&alarm.monitor, MM_OP_T_ALARM, 2) == MM_STATUS_T_OK);
    CHECK(mm_call(&alarm.monitor, MM_OP_T_IGNORE, -1) == MM_STATUS_T_NEGATIVE_COUNT);
    CHECK(mm_call(&alarm.monitor, MM_OP_T_IGNORE, 1) == MM_STATUS_T_OK);
    // An op that is none of the constants changes nothing: the alarm keeps its minimum of 2.
    CHECK(mm_call(&alarm.monitor, MM_OP_T_RESET + 1, 1) == MM_STATUS_T_UNKNOWN_OP);
    CHECK(mm_call(&alarm.monitor, 0xffffffffu, 1) == MM_STATUS_T_UNKNOWN_OP);
    CHECK(!on_list(&alarm.monitor));

    CHECK(mm_call(&size.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_OK);
    CHECK(mm_call(&alarm.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_OK);
    memorymonitor_track_allocation(1);
    memorymonitor_track_allocation(2);
    CHECK(mm_harness_take_raised() == 0);
    memorymonitor_track_allocation(2);
    CHECK(mm_harness_take_raised() == 2);
    // The alarm stopped itself; the allocation that tripped it was still counted.
    CHECK(!on_list(&alarm.monitor));
    CHECK(on_list(&size.monitor));
    CHECK(mm_count(&size.monitor, 1) == 2);
    memorymonitor_track_allocation(7);
    CHECK(mm_harness_take_raised() == 0);

    CHECK(mm_call(&alarm.monitor, MM_OP_T_EXIT, 0) == MM_STATUS_T_OK);
    CHECK(mm_call(&alarm.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_OK);
    memorymonitor_track_allocation(2);
    CHECK(mm_harness_take_raised() == 2);
    CHECK(mm_call(&size.monitor, MM_OP_T_EXIT, 0) == MM_STATUS_T_OK);
    CHECK(mm_call(&alarm.monitor, MM_OP_T_EXIT, 0) == MM_STATUS_T_OK);
    CHECK(head == NULL);
}

static void test_reset(void) {
    host_obj_t a, b, c;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    memset(&c, 0, sizeof(c));
    CHECK(mm_call(&a.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_OK);
    CHECK(mm_call(&b.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_OK);
    CHECK(mm_harness_active());
    // Reset does not use its monitor argument.
    CHECK(mm_call(NULL, MM_OP_T_RESET, 0) == MM_STATUS_T_OK);
    CHECK(head == NULL);
    CHECK(!mm_harness_active());
    // CircuitPython's name for it. (The forgotten monitors are not to be used again.)
    CHECK(mm_call(&c.monitor, MM_OP_T_ENTER, 0) == MM_STATUS_T_OK);
    memorymonitor_reset();
    CHECK(head == NULL);
    CHECK(!mm_harness_active());
}

// Runs every C test; returns the number of failed checks. Needs the registry to itself.
int mm_harness_c_api_tests(void) {
    failures = 0;
    CHECK(offsetof(mm_monitor_t, base) == 0);
    test_size();
    test_alarm();
    test_reset();
    return failures;
}
