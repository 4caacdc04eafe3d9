# memorymonitor as a MicroPython or CircuitPython user C module (make-based ports):
#   make -C ports/<port> USER_C_MODULES=/path/to/memorymonitor
# MicroPython up to 1.28 finds cmodule/micropython.mk, which includes this file; later ones may
# read both, hence the guard. tools/build-core.sh builds the Rust core into one object.
ifndef MEMORYMONITOR_DIR
MEMORYMONITOR_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
MEMORYMONITOR_OBJ := $(BUILD)/memorymonitor/memorymonitor-core.o
# The shim is cmodule/*.c; wrap.c only where the linker wraps the allocator (MicroPython).
SRC_USERMOD_C += $(filter-out %/wrap.c,$(sort $(wildcard $(MEMORYMONITOR_DIR)/cmodule/*.c)))
CFLAGS_USERMOD += -I$(MEMORYMONITOR_DIR)/include -I$(MEMORYMONITOR_DIR)/cmodule
# Every port links PY_O, wherever it puts LDFLAGS and LIBS (atmel-samd sets them anew late).
PY_O += $(MEMORYMONITOR_OBJ)
# The port's final flags name its CPU, so they are read in recipes only.
MEMORYMONITOR_CPU = '$(CC)' $(filter -mcpu=% -march=% -mabi=% -mfloat-abi=%,$(CFLAGS))
memorymonitor_comma := ,

ifneq ($(wildcard $(TOP)/py/circuitpy_mpconfig.mk),)
include $(MEMORYMONITOR_DIR)/ports/circuitpython/circuitpython.mk
else
# MicroPython's gc.c has no hook: the linker routes the allocator's callers, the heap's restart,
# traceback entries and each thread's end through cmodule/wrap.c and host.c. Ports that run the
# linker themselves (samd, mimxrt, esp8266, qemu after 1.28) take its options bare, the others
# through the compiler driver (the port's link rule tells); MEMORYMONITOR_LINKER=ld or cc overrides.
SRC_USERMOD_C += $(MEMORYMONITOR_DIR)/cmodule/wrap.c
MEMORYMONITOR_LINKER ?= $(if $(shell grep -sE '^[[:space:]].*\$$\(LD\)[[:space:]].*\$$\(LDFLAGS\)' $(firstword $(MAKEFILE_LIST))),ld,cc)
# cmodule/wrapped.txt names what is wrapped, for micropython.cmake and the checks too.
LDFLAGS_USERMOD += $(addprefix $(if $(filter ld,$(MEMORYMONITOR_LINKER)),,-Wl$(memorymonitor_comma))--wrap=, \
	$(shell cat $(MEMORYMONITOR_DIR)/cmodule/wrapped.txt))
# Under LTO the linker's --wrap never sees a call made inside the LTO unit. The files that define
# the wrapped functions are compiled outside it (nrf, small stm32 boards), so that every call
# reaches them through a symbol the linker wraps; tools/check-routing.py checks each firmware.
$(addprefix $(BUILD)/py/,gc.o malloc.o objexcept.o): CFLAGS += -fno-lto
endif

# Runs at every build; the object only changes, and the firmware relinks, when the core does.
$(MEMORYMONITOR_OBJ): FORCE
	$(ECHO) "CARGO memorymonitor"
	$(Q)MEMORYMONITOR_TARGET='$(MEMORYMONITOR_TARGET)' sh $(MEMORYMONITOR_DIR)/tools/build-core.sh \
		$@ '$(LD)' '$(OBJCOPY)' $(MEMORYMONITOR_CPU)

# Prints the Rust target this port's flags select (tests/target checks it).
memorymonitor-target:
	@MEMORYMONITOR_TARGET='$(MEMORYMONITOR_TARGET)' sh $(MEMORYMONITOR_DIR)/tools/build-core.sh --target $(MEMORYMONITOR_CPU)
endif
