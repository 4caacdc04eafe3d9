# memorymonitor as a MicroPython or CircuitPython user C module (make-based ports).
#   make -C ports/<port> USER_C_MODULES=/path/to/memorymonitor
# finds cmodule/micropython.mk, which includes this file; USER_C_MODULES=<a folder holding this
# repository> finds this file directly. Either way the Rust core is built with cargo for the
# port's CPU into $(BUILD)/memorymonitor and linked into the firmware.

MEMORYMONITOR_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

MEMORYMONITOR_SRC := $(addprefix $(MEMORYMONITOR_DIR)/cmodule/, \
	modmemorymonitor.c AllocationAlarm.c AllocationSize.c port.c)
CFLAGS_USERMOD += -I$(MEMORYMONITOR_DIR)/include -I$(MEMORYMONITOR_DIR)/cmodule

ifeq ($(shell command -v cargo 2>/dev/null),)
$(error memorymonitor needs cargo and rustc: install Rust with rustup (https://rustup.rs), then run make again)
endif

# The Rust target, from the port's final compiler flags (so it is only expanded in recipes):
# the host's for the unix port, otherwise by -mcpu. Set MEMORYMONITOR_TARGET to override.
MEMORYMONITOR_CPU = $(patsubst -mcpu=%,%,$(lastword $(filter -mcpu=%,$(CFLAGS))))
MEMORYMONITOR_TARGET ?= $(strip $(if $(MEMORYMONITOR_CPU),$(or \
	$(if $(filter cortex-m0 cortex-m0plus cortex-m1,$(MEMORYMONITOR_CPU)),thumbv6m-none-eabi), \
	$(if $(filter cortex-m3,$(MEMORYMONITOR_CPU)),thumbv7m-none-eabi), \
	$(if $(filter cortex-m4 cortex-m7,$(MEMORYMONITOR_CPU)),thumbv7em-none-eabi$(if $(filter -mfloat-abi=hard,$(CFLAGS)),hf)), \
	$(error memorymonitor: no Rust target is known for -mcpu=$(MEMORYMONITOR_CPU): set MEMORYMONITOR_TARGET to its Rust target triple)), \
	$(shell rustc -vV | sed -n 's/^host: //p')))

MEMORYMONITOR_LIB := $(BUILD)/memorymonitor/libmemorymonitor.a
MEMORYMONITOR_EXPORTS := $(shell sed -n 's/^[a-z].*[ *]\([a-z_]*\)(.*);$$/\1/p' $(MEMORYMONITOR_DIR)/include/memorymonitor.h)

ifneq ($(wildcard $(TOP)/py/circuitpy_mpconfig.mk),)
# CircuitPython's gc.c and main.c call the hooks themselves.
include $(MEMORYMONITOR_DIR)/ports/circuitpython/circuitpython.mk
else
# MicroPython's gc.c has no allocation hook: route the callers of the allocator through
# cmodule/wrap.c, and empty the active list whenever the heap is made anew or swept whole (a
# soft reset). The library is named after the --undefined of every function it exports, so
# that it is searched right whether a port puts LDFLAGS before its objects (qemu) or after (unix).
MEMORYMONITOR_SRC += $(MEMORYMONITOR_DIR)/cmodule/wrap.c
memorymonitor_comma := ,
LDFLAGS_USERMOD += $(addprefix -Wl$(memorymonitor_comma)--wrap=,gc_alloc gc_realloc gc_init gc_sweep_all)
LDFLAGS_USERMOD += $(addprefix -Wl$(memorymonitor_comma)--undefined=,$(MEMORYMONITOR_EXPORTS)) $(MEMORYMONITOR_LIB)
MEMORYMONITOR_REFUSE = $(if $(filter -flto%,$(CFLAGS) $(LDFLAGS)),$(error memorymonitor: link-time wrapping of gc_alloc is lost under -flto: build this port without LTO (for example LTO=0)))
endif
SRC_USERMOD_C += $(MEMORYMONITOR_SRC)

# cargo decides whether the library is stale; the copy is only replaced when it changed, so the
# shim's objects (and so the firmware) are rebuilt only when the Rust code did. For Arm, the
# unwind index tables that rustc always emits are dropped: nothing unwinds (panic = "abort"),
# and a port's linker script need not place them.
MEMORYMONITOR_CARGO_LIB = $(BUILD)/memorymonitor/cargo/$(MEMORYMONITOR_TARGET)/release/libmemorymonitor.a

$(MEMORYMONITOR_LIB): FORCE
	$(MEMORYMONITOR_REFUSE)
	$(ECHO) "CARGO $(MEMORYMONITOR_TARGET)"
	$(Q)rustup target list --installed 2>/dev/null | grep -qx '$(MEMORYMONITOR_TARGET)' || ! command -v rustup >/dev/null \
		|| { echo "memorymonitor: the Rust target $(MEMORYMONITOR_TARGET) is missing: run rustup target add $(MEMORYMONITOR_TARGET)" >&2; exit 1; }
	$(Q)cargo build --release --quiet --manifest-path $(MEMORYMONITOR_DIR)/Cargo.toml \
		--target $(MEMORYMONITOR_TARGET) --target-dir $(BUILD)/memorymonitor/cargo
	$(Q)$(if $(filter thumb%,$(MEMORYMONITOR_TARGET)),$(OBJCOPY) -R '.ARM.exidx*' -R '.ARM.extab*',cp) \
		$(MEMORYMONITOR_CARGO_LIB) $@.new
	$(Q)if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(addprefix $(BUILD)/,$(patsubst $(USER_C_MODULES)/%.c,%.o,$(MEMORYMONITOR_SRC))): $(MEMORYMONITOR_LIB)

# Prints the Rust target this port's flags select (tests/target checks it).
memorymonitor-target:
	@echo $(MEMORYMONITOR_TARGET)
