# The least of a MicroPython port that micropython.mk needs (see tests/target/Makefile).
BUILD := $(or $(TMPDIR),/tmp)/memorymonitor-target-test
USER_C_MODULES := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../..)
ECHO := @echo
FORCE:
USERMOD_DIR := $(USER_C_MODULES)/cmodule
include $(USERMOD_DIR)/micropython.mk
ifdef TWICE
# As MicroPython after 1.28 does: the folder's own micropython.mk as well.
USERMOD_DIR := $(USER_C_MODULES)
include $(USER_C_MODULES)/micropython.mk
endif

lib: $(MEMORYMONITOR_OBJ)

# What a port's build would be handed (CircuitPython cases).
show:
	@echo 'CFLAGS_USERMOD=$(CFLAGS_USERMOD)'
	@echo 'LDFLAGS_USERMOD=$(LDFLAGS_USERMOD)'
	@echo 'SRC_USERMOD_C=$(SRC_USERMOD_C)'
	@echo 'PY_O=$(PY_O)'

# The flags a port's rule compiles one of py/'s objects with (the renames, and LTO): make py/gc.o.
$(BUILD)/py/%.o:
	@echo 'CFLAGS=$(CFLAGS)'
py/%.o: $(BUILD)/py/%.o ;

core: $(MEMORYMONITOR_OBJ)
	@echo $(MEMORYMONITOR_OBJ)
