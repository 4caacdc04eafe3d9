// Declares memorymonitor's hooks as CircuitPython's shared-module/memorymonitor/__init__.h does,
// and calls them as its py/gc.c and main.c do, linked against the core built for a board's CPU.
// The core's own needs (cmodule/host.h) are answered by stubs.
#include <stddef.h>
#include "host.h"
#include "track.h"

void memorymonitor_reset(void);

static mm_monitor_t *head;
static int raised;

mm_monitor_t **mm_host_head(void) {
    return &head;
}

static mm_tally_t tally;

mm_tally_t *mm_host_tally(void) {
    return &tally;
}

mm_tally_t *mm_host_claim_tally(void) {
    return &tally;
}

void mm_host_raise_allocation_error(size_t blocks) {
    raised = (int)blocks;
}

static bool active;

void mm_host_active(bool now) {
    active = now;
}

// The allocation hook as ports/circuitpython/hooks.c defines it, for this CPU.
void memorymonitor_track_allocation(size_t blocks) {
    mm_track_hook(active, &tally, blocks);
}

size_t mm_host_critical_enter(void) {
    return 0;
}

void mm_host_critical_exit(size_t state) {
    (void)state;
}

int main(void) {
    static mm_monitor_t alarm;
    memorymonitor_reset();
    if (mm_call(&alarm, MM_OP_T_ALARM, 2) != MM_STATUS_T_OK || mm_call(&alarm, MM_OP_T_ENTER, 0) != MM_STATUS_T_OK) {
        return 1;
    }
    // gc_alloc: the blocks just allocated.
    memorymonitor_track_allocation(1);
    memorymonitor_track_allocation(3);
    return raised == 3 ? 0 : 2;
}
