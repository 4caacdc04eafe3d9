# memorymonitor: `make demo` and `make test` work as the first command on a fresh machine.
# MICROPYTHON_DIR=/path/to/micropython uses that tree; by default Debian's source package of
# MicroPython is fetched once into build/micropython/src.

ROOT := $(CURDIR)
BUILD := $(ROOT)/build
MICROPYTHON_DIR ?= $(BUILD)/micropython/src
MICROPYTHON := $(BUILD)/unix/micropython
# The unix port without the parts whose sources Debian's tarball leaves out; unstripped, so
# that profiles name functions.
UNIX_OPTS := MICROPY_PY_BTREE=0 MICROPY_PY_FFI=0 MICROPY_PY_SSL=0 FROZEN_MANIFEST= STRIP=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

STOCK := $(BUILD)/unix-stock/micropython

.PHONY: all micropython stock bench demo test test-rust lint check-generated regen test-micropython host-tools clean

all: micropython

host-tools:
	@command -v cargo >/dev/null || { echo "memorymonitor: cargo is missing: install Rust with rustup (https://rustup.rs) and open a new shell" >&2; exit 1; }
	@tools/need.sh cc gcc
	@tools/need.sh python3 python3
	@tools/need.sh xz xz-utils

ifeq ($(MICROPYTHON_DIR),$(BUILD)/micropython/src)
$(MICROPYTHON_DIR)/py/gc.c:
	@tools/fetch-micropython.sh $(MICROPYTHON_DIR)
else
$(MICROPYTHON_DIR)/py/gc.c:
	@echo "memorymonitor: no MicroPython tree at MICROPYTHON_DIR=$(MICROPYTHON_DIR): unset it to fetch one, or point it at a checkout (1.25 or newer)" >&2; exit 1
endif

micropython: host-tools $(MICROPYTHON_DIR)/py/gc.c
	@mkdir -p $(BUILD)
	@$(MAKE) -C $(MICROPYTHON_DIR)/ports/unix -j$(JOBS) $(UNIX_OPTS) \
		BUILD=$(BUILD)/unix PROG=micropython USER_C_MODULES=$(ROOT) >$(BUILD)/unix-build.log 2>&1 \
		|| { tail -n 30 $(BUILD)/unix-build.log; echo "memorymonitor: the unix port failed to build (log: $(BUILD)/unix-build.log)" >&2; exit 1; }
	@echo "built $(MICROPYTHON)"

# The same MicroPython without the module, for comparisons.
stock: host-tools $(MICROPYTHON_DIR)/py/gc.c
	@mkdir -p $(BUILD)
	@$(MAKE) -C $(MICROPYTHON_DIR)/ports/unix -j$(JOBS) $(UNIX_OPTS) \
		BUILD=$(BUILD)/unix-stock PROG=micropython >$(BUILD)/unix-stock-build.log 2>&1 \
		|| { tail -n 30 $(BUILD)/unix-stock-build.log; echo "memorymonitor: the stock unix port failed to build (log: $(BUILD)/unix-stock-build.log)" >&2; exit 1; }

bench: micropython stock
	@tools/need.sh valgrind valgrind
	@python3 tools/bench.py $(STOCK) $(MICROPYTHON) $(MICROPYTHON_DIR) $(BUILD)/bench.md

demo: micropython
	@$(MICROPYTHON) examples/demo.py

test: test-rust lint check-generated test-micropython

test-rust: host-tools
	cargo test --quiet

lint: host-tools
	cargo fmt --check
	cargo clippy --quiet --all-targets -- -D warnings

# The committed include/memorymonitor.h and src/port.rs must be what cbindgen and bindgen make
# of the sources now; bindgen needs libclang, which no firmware build does.
check-generated: host-tools
	@tools/need.sh '/usr/lib/llvm-*/lib/libclang.so' libclang-dev
	cargo build --quiet --features regen

regen: host-tools
	@tools/need.sh '/usr/lib/llvm-*/lib/libclang.so' libclang-dev
	MM_REGEN=write cargo build --quiet --features regen

test-micropython: micropython
	cd $(MICROPYTHON_DIR)/tests && MICROPY_MICROPYTHON=$(MICROPYTHON) \
		python3 ./run-tests.py --heapsize 16M -r $(BUILD)/test-results $(ROOT)/tests/*.py \
		|| { python3 ./run-tests.py -r $(BUILD)/test-results --print-failures; exit 1; }

clean:
	rm -rf $(BUILD)/unix target
