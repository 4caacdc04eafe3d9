# memorymonitor as a MicroPython or CircuitPython user C module (make-based ports):
#   make -C ports/<port> USER_C_MODULES=/path/to/memorymonitor
# MicroPython up to 1.28 finds cmodule/micropython.mk, which includes this file; later ones may
# read both, hence the guard. tools/build-core.sh builds the Rust core into one object.
ifndef MEMORYMONITOR_DIR
MEMORYMONITOR_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
MEMORYMONITOR_OBJ := $(BUILD)/memorymonitor/memorymonitor-core.o
# The shim is cmodule/*.c; wrap.c only on MicroPython (whose gc.c has no hook).
SRC_USERMOD_C += $(filter-out %/wrap.c,$(sort $(wildcard $(MEMORYMONITOR_DIR)/cmodule/*.c)))
CFLAGS_USERMOD += -I$(MEMORYMONITOR_DIR)/include -I$(MEMORYMONITOR_DIR)/cmodule
# Every port links PY_O, wherever it puts LDFLAGS and LIBS (atmel-samd sets them anew late).
PY_O += $(MEMORYMONITOR_OBJ)
# The port's final flags name its CPU, so they are read in recipes only.
MEMORYMONITOR_CPU = '$(CC)' $(filter -mcpu=% -march=% -mabi=% -mfloat-abi=%,$(CFLAGS))

ifneq ($(wildcard $(TOP)/py/circuitpy_mpconfig.mk),)
include $(MEMORYMONITOR_DIR)/ports/circuitpython/circuitpython.mk
else
# MicroPython's gc.c has no hook: cmodule/wrap.c and host.c take the place of the allocator's
# entry points, the heap's restart, traceback entries and each thread's end.
SRC_USERMOD_C += $(MEMORYMONITOR_DIR)/cmodule/wrap.c
MEMORYMONITOR_RENAMES := $(MEMORYMONITOR_DIR)/cmodule/renames.txt
endif
# Each line of the host's list (FILE:NAME=NEW) compiles that file of the interpreter with NAME
# renamed NEW: the definitions of what the module replaces get their __real_ names (their own
# files' calls among them, which stay unrouted), and py/modthread.c calls the module's thread
# end. The names change in the source, so any linker, and LTO, see the same program. These files
# depend on a copy of the list in the build tree, so that a tree built with another list (an
# earlier version of the module) compiles them again. (Adding or taking out a module needs make
# clean anyway: the interpreter's own generated files name the modules.)
memorymonitor_renames := $(shell cat $(MEMORYMONITOR_RENAMES))
$(foreach r,$(memorymonitor_renames),$(eval $(BUILD)/$(basename $(firstword $(subst :, ,$(r)))).o: \
	CFLAGS += -D$(lastword $(subst :, ,$(r)))) \
	$(eval $(BUILD)/$(basename $(firstword $(subst :, ,$(r)))).o: $(BUILD)/memorymonitor/renames.txt))
$(BUILD)/memorymonitor/renames.txt: $(MEMORYMONITOR_RENAMES)
	$(Q)mkdir -p $(@D) && cmp -s $< $@ || cp $< $@

# Runs at every build; the object only changes, and the firmware relinks, when the core does.
$(MEMORYMONITOR_OBJ): FORCE
	$(ECHO) "CARGO memorymonitor"
	$(Q)MEMORYMONITOR_TARGET='$(MEMORYMONITOR_TARGET)' sh $(MEMORYMONITOR_DIR)/tools/build-core.sh \
		$@ '$(LD)' '$(OBJCOPY)' $(MEMORYMONITOR_CPU)

# Prints the Rust target this port's flags select (tests/target checks it).
memorymonitor-target:
	@MEMORYMONITOR_TARGET='$(MEMORYMONITOR_TARGET)' sh $(MEMORYMONITOR_DIR)/tools/build-core.sh --target $(MEMORYMONITOR_CPU)
endif
