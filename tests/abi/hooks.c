// Declares memorymonitor's hooks as CircuitPython's shared-module/memorymonitor/__init__.h does,
// and calls them as its py/gc.c and main.c do, linked against the core built for a board's CPU.
// The core's own needs (cmodule/port.h) are answered by stubs.
#include <stddef.h>
#include "port.h"

void memorymonitor_track_allocation(size_t block_count);
void memorymonitor_reset(void);

static mm_monitor_t *head;
static int raised;

mm_monitor_t **mm_port_head(void) {
    return &head;
}

static mm_tally_t tally;

mm_tally_t *mm_port_tally(void) {
    return &tally;
}

mm_tally_t *mm_port_claim_tally(void) {
    return &tally;
}

void mm_port_raise_allocation_error(size_t blocks) {
    raised = (int)blocks;
}

// The hooks read mm_active on every allocation.
void mm_port_active(bool active) {
    (void)active;
}

size_t mm_port_critical_enter(void) {
    return 0;
}

void mm_port_critical_exit(size_t state) {
    (void)state;
}

int main(void) {
    static mm_monitor_t alarm;
    memorymonitor_reset();
    if (mm_alarm_init(&alarm, 2) != MM_STATUS_T_OK || mm_enter(&alarm) != MM_STATUS_T_OK) {
        return 1;
    }
    // gc_alloc: the blocks just allocated.
    memorymonitor_track_allocation(1);
    memorymonitor_track_allocation(3);
    return raised == 3 ? 0 : 2;
}
