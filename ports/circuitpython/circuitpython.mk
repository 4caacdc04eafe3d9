# memorymonitor in CircuitPython firmware; ../../micropython.mk includes this file when
# USER_C_MODULES builds the module into a CircuitPython tree.
#
# CircuitPython's py/gc.c calls memorymonitor_track_allocation() and its main.c calls
# memorymonitor_reset() when compiled with the C macro CIRCUITPY_MEMORYMONITOR set. The make
# variable of that name would also compile CircuitPython's own memorymonitor, which no longer
# builds and would define the same functions, so only the macro is turned on, after
# py/circuitpy_mpconfig.mk has defined it as 0.

ifeq ($(CIRCUITPY_MEMORYMONITOR),1)
$(error memorymonitor: leave CIRCUITPY_MEMORYMONITOR unset: USER_C_MODULES brings this memorymonitor in place of CircuitPython's own)
endif

MEMORYMONITOR_PATCH := $(abspath $(MEMORYMONITOR_DIR)/ports/circuitpython/0001-gc-do-not-report-an-in-place-shrink-to-memorymonitor.patch)
# gc.c reports gc_alloc, growing in place, and (unless patched) shrinking in place: three calls
# as CircuitPython 10 has it, two with the patch. Any other count is a gc.c this module has not
# been checked against.
MEMORYMONITOR_GC_CALLS := $(shell grep -c '^[[:space:]]*memorymonitor_track_allocation' $(TOP)/py/gc.c)
ifeq ($(MEMORYMONITOR_GC_CALLS),3)
$(error memorymonitor: this CircuitPython's py/gc.c reports shrinking reallocations as allocations: run git -C $(abspath $(TOP)) apply $(MEMORYMONITOR_PATCH))
else ifneq ($(MEMORYMONITOR_GC_CALLS),2)
$(error memorymonitor: this CircuitPython's py/gc.c calls memorymonitor_track_allocation $(MEMORYMONITOR_GC_CALLS) times, not 3 (CircuitPython 10) or 2 (with $(MEMORYMONITOR_PATCH)): check that gc_alloc and a reallocation growing in place call it and a shrink does not, then build with MEMORYMONITOR_GC_CALLS=2)
endif

SRC_USERMOD_C += $(MEMORYMONITOR_DIR)/ports/circuitpython/hooks.c
CFLAGS_USERMOD += -UCIRCUITPY_MEMORYMONITOR -DCIRCUITPY_MEMORYMONITOR=1
# The end of a thread (the unix port's; no board has threads), as in MicroPython: host.c; and the
# allocations whose callers cannot take an exception (hooks.c). renames.txt beside this file
# names them, for ../../micropython.mk, which renames them in MicroPython's files.
MEMORYMONITOR_RENAMES := $(MEMORYMONITOR_DIR)/ports/circuitpython/renames.txt
