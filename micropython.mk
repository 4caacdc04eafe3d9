# memorymonitor as a MicroPython user C module (make-based ports).
#   make -C ports/unix USER_C_MODULES=/path/to/memorymonitor
# finds cmodule/micropython.mk, which includes this file; USER_C_MODULES=<a folder holding this
# repository> finds this file directly. Either way the Rust core is built with cargo into
# $(BUILD)/memorymonitor and linked into the firmware.

MEMORYMONITOR_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

MEMORYMONITOR_SRC := $(addprefix $(MEMORYMONITOR_DIR)/cmodule/, \
	modmemorymonitor.c AllocationAlarm.c AllocationSize.c port.c wrap.c)
SRC_USERMOD_C += $(MEMORYMONITOR_SRC)
CFLAGS_USERMOD += -I$(MEMORYMONITOR_DIR)/include -I$(MEMORYMONITOR_DIR)/cmodule

ifeq ($(shell command -v cargo 2>/dev/null),)
$(error memorymonitor needs cargo and rustc: install Rust with rustup (https://rustup.rs), then run make again)
endif

# The Rust target: the host's, for the unix port.
MEMORYMONITOR_TARGET ?= $(shell rustc -vV | sed -n 's/^host: //p')

MEMORYMONITOR_LIB := $(BUILD)/memorymonitor/$(MEMORYMONITOR_TARGET)/release/libmemorymonitor.a

# MicroPython's gc.c has no allocation hook: route the callers of the allocator through
# cmodule/wrap.c. The library comes after the firmware's objects on the unix link line.
LDFLAGS_USERMOD += -Wl,--wrap=gc_alloc -Wl,--wrap=gc_realloc -Wl,--wrap=gc_init $(MEMORYMONITOR_LIB)

# cargo decides whether the library is stale; it leaves the file alone when it is not, so the
# shim's objects (and so the firmware) are rebuilt only when the Rust code changed.
$(MEMORYMONITOR_LIB): FORCE
	$(ECHO) "CARGO $(MEMORYMONITOR_TARGET)"
	$(Q)cargo build --release --quiet --manifest-path $(MEMORYMONITOR_DIR)/Cargo.toml \
		--target $(MEMORYMONITOR_TARGET) --target-dir $(BUILD)/memorymonitor

$(addprefix $(BUILD)/,$(patsubst $(USER_C_MODULES)/%.c,%.o,$(MEMORYMONITOR_SRC))): $(MEMORYMONITOR_LIB)
