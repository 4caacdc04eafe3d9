# memorymonitor as a MicroPython or CircuitPython user C module (make-based ports).
#   make -C ports/<port> USER_C_MODULES=/path/to/memorymonitor
# MicroPython up to 1.28 finds cmodule/micropython.mk, which includes this file; later ones, and
# USER_C_MODULES=<a folder holding this repository>, find this file directly, and may find both:
# the guard reads it once. The Rust core is built with cargo for the port's CPU into
# $(BUILD)/memorymonitor and joins the firmware as one relocatable object.

ifndef MEMORYMONITOR_DIR
MEMORYMONITOR_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

MEMORYMONITOR_SRC := $(addprefix $(MEMORYMONITOR_DIR)/cmodule/, \
	modmemorymonitor.c AllocationAlarm.c AllocationSize.c port.c)
CFLAGS_USERMOD += -I$(MEMORYMONITOR_DIR)/include -I$(MEMORYMONITOR_DIR)/cmodule

ifeq ($(shell command -v cargo 2>/dev/null),)
$(error memorymonitor needs cargo and rustc: install Rust with rustup (https://rustup.rs), then run make again)
endif

# The Rust target, from the port's final compiler flags (so it is only expanded in recipes).
# Set MEMORYMONITOR_TARGET to override.
MEMORYMONITOR_TARGET ?= $(shell sh $(MEMORYMONITOR_DIR)/tools/rust-target.sh '$(CC)' \
	$(filter -mcpu=% -march=% -mabi=% -mfloat-abi=%,$(CFLAGS)))
MEMORYMONITOR_REFUSE = $(if $(filter memorymonitor:%,$(MEMORYMONITOR_TARGET)),$(error $(MEMORYMONITOR_TARGET)))

MEMORYMONITOR_LIB := $(BUILD)/memorymonitor/libmemorymonitor.a
MEMORYMONITOR_OBJ := $(BUILD)/memorymonitor/memorymonitor-core.o
MEMORYMONITOR_EXPORTS := $(shell sed -n 's/^[a-z].*[ *]\([a-z_]*\)(.*);$$/\1/p' $(MEMORYMONITOR_DIR)/include/memorymonitor.h)

ifneq ($(wildcard $(TOP)/py/circuitpy_mpconfig.mk),)
# CircuitPython's gc.c and main.c call the hooks themselves.
include $(MEMORYMONITOR_DIR)/ports/circuitpython/circuitpython.mk
else
# MicroPython's gc.c has no allocation hook: route the callers of the allocator through
# cmodule/wrap.c, empty the active list whenever the heap is made anew or swept whole (a soft
# reset), and end a thread's monitors when the thread ends (py/modthread.c calls
# mp_thread_finish last; on a port without threads nothing calls it, and the option is idle). Ports that link with the linker itself (samd, mimxrt, esp8266, qemu after 1.28)
# take its options bare, the others through the compiler driver; MEMORYMONITOR_LINKER=ld or cc
# overrides the guess made from the port's link rule.
MEMORYMONITOR_SRC += $(MEMORYMONITOR_DIR)/cmodule/wrap.c
MEMORYMONITOR_LINKER ?= $(if $(shell grep -sE '^[[:space:]].*\$$\(LD\)[[:space:]]+\$$\(LDFLAGS\)' $(firstword $(MAKEFILE_LIST))),ld,cc)
memorymonitor_comma := ,
LDFLAGS_USERMOD += $(addprefix $(if $(filter ld,$(MEMORYMONITOR_LINKER)),,-Wl$(memorymonitor_comma))--wrap=, \
	gc_alloc gc_realloc gc_init gc_sweep_all mp_thread_finish)
MEMORYMONITOR_REFUSE += $(if $(filter -flto%,$(CFLAGS) $(LDFLAGS)),$(error memorymonitor: link-time wrapping of gc_alloc is lost under -flto: build this port without LTO (for example LTO=0)))
endif
SRC_USERMOD_C += $(MEMORYMONITOR_SRC)

# Ports link differently (LDFLAGS before or after the objects; atmel-samd sets LDFLAGS and LIBS
# anew after py/py.mk), but every one links PY_O. So the core joins PY_O as one relocatable
# object holding just what the exported functions need: nothing of compiler_builtins that the
# core does not call (memmove, say) can stand in for the port's own C library.
PY_O += $(MEMORYMONITOR_OBJ)

# cargo decides whether the library is stale; the copy is only replaced when it changed, so the
# firmware is relinked only when the Rust code did. For Arm, the unwind index tables that rustc
# always emits are dropped: nothing unwinds (panic = "abort"), and a port's linker script need
# not place them; so is the stack note, which newlib's startup files lack, so that the linker
# does not start warning about them.
MEMORYMONITOR_CARGO_LIB = $(BUILD)/memorymonitor/cargo/$(MEMORYMONITOR_TARGET)/release/libmemorymonitor.a

$(MEMORYMONITOR_LIB): FORCE
	$(MEMORYMONITOR_REFUSE)
	$(ECHO) "CARGO $(MEMORYMONITOR_TARGET)"
	$(Q)mkdir -p $(@D)
	$(Q)rustup target list --installed 2>/dev/null | grep -qx '$(MEMORYMONITOR_TARGET)' || ! command -v rustup >/dev/null \
		|| { echo "memorymonitor: the Rust target $(MEMORYMONITOR_TARGET) is missing: run rustup target add $(MEMORYMONITOR_TARGET)" >&2; exit 1; }
	$(Q)cargo build --release --quiet --manifest-path $(MEMORYMONITOR_DIR)/Cargo.toml \
		--target $(MEMORYMONITOR_TARGET) --target-dir $(BUILD)/memorymonitor/cargo
	$(Q)$(if $(filter thumb%,$(MEMORYMONITOR_TARGET)),$(OBJCOPY) -R '.ARM.exidx*' -R '.ARM.extab*' -R .note.GNU-stack,cp) \
		$(MEMORYMONITOR_CARGO_LIB) $@.new
	$(Q)if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(MEMORYMONITOR_OBJ): $(MEMORYMONITOR_LIB)
	$(ECHO) "LD $@"
	$(Q)$(LD) -r $(addprefix -u ,$(MEMORYMONITOR_EXPORTS)) -o $@ $<

# Prints the Rust target this port's flags select (tests/target checks it).
memorymonitor-target:
	@echo $(MEMORYMONITOR_TARGET)
endif
