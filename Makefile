# memorymonitor: `make demo` and `make test` work as the first command on a fresh machine.
# MICROPYTHON_DIR=/path/to/micropython uses that tree; by default Debian's source package of
# MicroPython is fetched once into build/micropython/src.

ROOT := $(CURDIR)
BUILD := $(ROOT)/build
MICROPYTHON_DIR ?= $(BUILD)/micropython/src
# The Debian suite whose MicroPython source package is fetched when MICROPYTHON_DIR is not set.
MICROPYTHON_SUITE ?= stable
MICROPYTHON := $(BUILD)/unix/micropython
# The unix port without the parts whose sources Debian's tarball leaves out; unstripped, so
# that profiles name functions.
UNIX_OPTS := MICROPY_PY_BTREE=0 MICROPY_PY_FFI=0 MICROPY_PY_SSL=0 FROZEN_MANIFEST= STRIP=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The Python packages the checks import live in a virtual environment (tools/python-env.sh),
# whose python3 comes first for every recipe.
VENV := $(BUILD)/venv
export PATH := $(VENV)/bin:$(PATH)
# Source snapshots of upstream trees (CI has them beside its clone): make test-upstream builds
# them; make test takes micropython-lib's unittest from them where present.
UPSTREAM ?= $(ROOT)/../shared/upstream

STOCK := $(BUILD)/unix-stock/micropython
# Emulated boards of MicroPython's qemu port: the nRF51 micro:bit is a Cortex-M0 (Thumb-1, like
# RP2040 and SAMD21), MPS2_AN385 a Cortex-M3 (Thumb-2, with a leading-zeros instruction),
# VIRT_RV32 an rv32imac (RISC-V without one). qemu-args is what a board needs of Debian 12's
# toolchains (tools/qemu-board-args.txt).
QEMU_BOARDS := MICROBIT MPS2_AN385 VIRT_RV32
qemu-args = $(shell awk '$$1 == "$(1)" {$$1 = ""; print}' $(ROOT)/tools/qemu-board-args.txt)
qemu-dir = $(BUILD)/qemu-$(subst _,-,$(shell echo $(1) | tr A-Z a-z))
QEMU_FIRMWARE := $(call qemu-dir,MICROBIT)/firmware.elf
# The bytes of flash the module may add to a firmware, per instruction set: check-firmware (make
# test) and make test-upstream fail above it. The aim was 1536; the rule for alarms where the
# interpreter cannot take an exception (the wrappers of its m_*_maybe allocations, the held
# error) added about 250 bytes to the 1772 to 1872 of the measurement before it. The same
# functions take about a fifth more on RISC-V's compressed code than on Thumb-2 (qemu VIRT_RV32
# against NETDUINO2's Cortex-M3), and RV64's wider pointers and constants a fifth more again.
# Cortex-M0's speed (inline counting of the commonest allocations, and a copy without the
# threshold's compare while no alarm is active: docs/performance.md) added about 180 bytes to
# Thumb-1 firmware, 200 on RP2040, which rp2 compiles at -O2: thumb1 is Cortex-M0 and M0+.
FLASH_BUDGET := thumb1=2400,arm=2240,rv32=2560,rv64=3072
# Every Rust target the map in tools/rust-target.sh can choose, each with a CPU of its own: the
# first words of tools/cpus.txt. thumbv8m.base (Cortex-M23) is in the map but its standard library
# is not served by every rustup mirror: skipped where it is not.
RUST_TARGETS := $(shell cut -d' ' -f1 $(ROOT)/tools/cpus.txt)

# $(call run-tests,RESULTS_DIR,ARGS,ENV): MicroPython's run-tests.py with ARGS, and its failures
# printed when there are any.
define run-tests
	$(3) tools/run-tests.sh $(MICROPYTHON_DIR) $(1) $(2)
endef

# $(call port-make,PORT,BUILD_DIR,MAKE_ARGS,WHAT): builds a port of MICROPYTHON_DIR into BUILD_DIR,
# its log beside it; on failure, the log's tail and one line.
define port-make
	@mkdir -p $(BUILD)
	@$(MAKE) -C $(MICROPYTHON_DIR)/ports/$(1) -j$(JOBS) BUILD=$(2) $(3) >$(2).log 2>&1 \
		|| { tail -n 30 $(2).log; echo "memorymonitor: $(4) failed to build (log: $(2).log)" >&2; exit 1; }
endef

.PHONY: all micropython stock bench bench-circuitpython demo test test-package test-miri test-unstable test-upstream test-suite test-sanitize test-sweep test-pool qemu qemu-stock qemu-test qemu-tools size check-firmware check-targets check-abi check-cmake check-stub test-rust lint check-generated regen test-micropython host-tools clean

all: micropython

host-tools:
	@command -v cargo >/dev/null || { echo "memorymonitor: cargo is missing: install Rust with rustup (https://rustup.rs) and open a new shell" >&2; exit 1; }
	@tools/need.sh cc gcc
	@tools/need.sh python3 python3
	@tools/need.sh xz xz-utils
	@tools/python-env.sh $(VENV) serial=pyserial

ifeq ($(MICROPYTHON_DIR),$(BUILD)/micropython/src)
$(MICROPYTHON_DIR)/py/gc.c:
	@MICROPYTHON_SUITE=$(MICROPYTHON_SUITE) tools/fetch-micropython.sh $(MICROPYTHON_DIR)
else
$(MICROPYTHON_DIR)/py/gc.c:
	@echo "memorymonitor: no MicroPython tree at MICROPYTHON_DIR=$(MICROPYTHON_DIR): unset it to fetch one, or point it at a checkout ($$(tools/fetch-micropython.sh --oldest) or newer)" >&2; exit 1
endif

micropython: host-tools $(MICROPYTHON_DIR)/py/gc.c
	$(call port-make,unix,$(BUILD)/unix,$(UNIX_OPTS) PROG=micropython USER_C_MODULES=$(ROOT),the unix port)
	@echo "built $(MICROPYTHON)"

# The same MicroPython without the module, for comparisons.
stock: host-tools $(MICROPYTHON_DIR)/py/gc.c
	$(call port-make,unix,$(BUILD)/unix-stock,$(UNIX_OPTS) PROG=micropython,the stock unix port)

# MicroPython's own test suite on the stock build, the build with the module, and that build with
# monitors active through every test: the three must pass, fail and skip the same tests.
test-suite: micropython stock
	@python3 tools/suite.py $(STOCK) $(MICROPYTHON) $(MICROPYTHON_DIR) $(BUILD)/suite

# The unix port with the module, built with AddressSanitizer and UndefinedBehaviorSanitizer:
# tests/, longer model walks and a longer thread stress. MicroPython's own bytearray(0) passes
# NULL to memset with a length of 0, which UBSan's nonnull-attribute check reports; that one
# check is off. Leak detection is off: the interpreter frees its heap at exit, not its objects.
ASAN := $(BUILD)/unix-asan/micropython
SANITIZE := -fsanitize=address,undefined -fno-sanitize=nonnull-attribute -fno-sanitize-recover=undefined
test-sanitize: host-tools $(MICROPYTHON_DIR)/py/gc.c
	$(call port-make,unix,$(BUILD)/unix-asan,$(UNIX_OPTS) USER_C_MODULES=$(ROOT) \
		CFLAGS_EXTRA="$(SANITIZE) -fno-omit-frame-pointer" LDFLAGS_EXTRA="$(SANITIZE)",the sanitizer build)
	$(call run-tests,$(BUILD)/asan-results,--ours,ASAN_OPTIONS=detect_leaks=0 MICROPY_MICROPYTHON=$(ASAN))
	@for seed in 1 2 3 4; do ASAN_OPTIONS=detect_leaks=0 $(ASAN) tests/mm_model.py $$seed 20000 >$(BUILD)/asan-model.log 2>&1; \
		grep -q '^ok: 20000 steps' $(BUILD)/asan-model.log || { cat $(BUILD)/asan-model.log; exit 1; }; \
		echo "ok    sanitized model walk, seed $$seed: 20000 steps agree"; done
	@start=$$(date +%s); ASAN_OPTIONS=detect_leaks=0 $(ASAN) tests/mm_threads.py 300000 >$(BUILD)/asan-threads.log 2>&1; \
		grep -q 'finished: 6 errors: \[\]' $(BUILD)/asan-threads.log && ! grep -q False $(BUILD)/asan-threads.log \
		|| { cat $(BUILD)/asan-threads.log; exit 1; }; \
		echo "ok    sanitized thread stress: 6 threads, 300000 rounds each, $$(( $$(date +%s) - start )) s, private counts exact"

# The fault-injection sweep (tools/sweep.py), a bounded sample on the sanitizer build: every 8th
# program of MicroPython's test folders, at most about 50 trips each; make test-upstream sweeps other
# trees (docs/testing.md).
test-sweep: test-sanitize
	@ASAN_OPTIONS=detect_leaks=0 python3 tools/sweep.py --micropython $(ASAN) $(MICROPYTHON_DIR)/tests \
		--every 8 --limit 50 --timeout 300 --label "Debian's MicroPython unix, sanitizers" \
		--table docs/testing.md --section sweep-make-test

# The tally pool of ports with threads other than unix and rp2 (cmodule/host.c), in a unix build
# made to choose it: tests/*.py, and a thread beyond the pool refused (tests/pool); then its
# routing, as the boards' (check-routing.py). With ffi, the one module of the unix port whose C
# code asks for memory through m_tracked_calloc, as boards' C libraries do (mm_alarm_held_c.py).
# (A folder of its own since ffi joined: MicroPython's qstr scan would not see modffi.c in a
# folder built without it.)
POOL_DIR := $(BUILD)/unix-pool-ffi
POOL := $(POOL_DIR)/micropython
test-pool: host-tools $(MICROPYTHON_DIR)/py/gc.c
	@tools/need.sh pkg-config pkg-config
	@tools/need.sh '/usr/lib/*/pkgconfig/libffi.pc' libffi-dev
	$(call port-make,unix,$(POOL_DIR),$(UNIX_OPTS) MICROPY_PY_FFI=1 PROG=micropython USER_C_MODULES=$(ROOT) \
		CFLAGS_EXTRA=-DMEMORYMONITOR_TALLY_POOL=1,the unix port with the tally pool)
	$(call run-tests,$(BUILD)/pool-results,--ours $(ROOT)/tests/pool/*.py,MICROPY_MICROPYTHON=$(POOL))
	@python3 tools/check-routing.py objdump $(POOL) micropython

# x86-64 (the unix port under callgrind), then Cortex-M0 (the MICROBIT board under qemu with
# -icount shift=0, each configuration on a freshly booted board): ratios against stock.
bench: micropython stock qemu qemu-stock
	@tools/need.sh valgrind valgrind
	@python3 tools/bench.py $(STOCK) $(MICROPYTHON_DIR) $(BUILD)/bench.md memorymonitor=$(MICROPYTHON)
	@python3 tools/bench-m0.py $(MICROPYTHON_DIR) $(BUILD)/qemu-microbit-stock/firmware.elf $(QEMU_FIRMWARE) $(BUILD)/bench-m0.md
	@python3 tools/write-section.py docs/performance.md make-bench-x86-64 < $(BUILD)/bench.md
	@python3 tools/write-section.py docs/performance.md make-bench-m0 < $(BUILD)/bench-m0.md

# CircuitPython's unix port under callgrind, stock, with its own memorymonitor and with this one,
# built from the snapshots (UPSTREAM) as make test-upstream builds them; the perf_bench programs
# come from its MicroPython 1.28.0 tree.
CP_UNIX = $(BUILD)/upstream/out/circuitpython/unix
bench-circuitpython: qemu-tools
	@tools/need.sh valgrind valgrind
	@FLASH_BUDGET=$(FLASH_BUDGET) VENV=$(VENV) UNIX_OPTS="$(UNIX_OPTS)" UPSTREAM_PARTS=circuitpython-unix \
		tools/test-upstream.sh $(UPSTREAM) $(BUILD)/upstream
	@python3 tools/bench.py --no-wall $(CP_UNIX)-stock/micropython $(BUILD)/upstream/micropython-1.28.0 \
		$(BUILD)/bench-circuitpython.md "CircuitPython's own=$(CP_UNIX)-own/micropython" memorymonitor=$(CP_UNIX)-module/micropython
	@python3 tools/write-section.py docs/performance.md make-bench-circuitpython < $(BUILD)/bench-circuitpython.md

# mmcheck (python/mmcheck.py) is found through MICROPYPATH, as a user's own copy would be.
demo: micropython
	@MICROPYPATH=$(ROOT)/python $(MICROPYTHON) examples/demo.py

TEST_STEPS = test-rust test-miri lint check-generated test-micropython test-package check-stub test-suite \
	test-sanitize test-sweep test-pool check-targets check-abi check-cmake qemu-test check-firmware test-unstable

# Each step timed; the times go into docs/testing.md once every step has passed.
test:
	@mkdir -p $(BUILD) && printf '| step | seconds |\n| --- | ---: |\n' >$(BUILD)/test-times.md
	@for t in $(TEST_STEPS); do start=$$(date +%s); $(MAKE) --no-print-directory $$t || exit 1; \
		echo "| $$t | $$(($$(date +%s) - start)) |" >>$(BUILD)/test-times.md; done
	@python3 tools/write-section.py docs/testing.md make-test-times < $(BUILD)/test-times.md
	@echo "memorymonitor: every check passed"

# tests/*.py against the MicroPython of Debian's unstable suite (newer than stable's), on the unix
# port and the Cortex-M0 board, in a build folder of its own; only where this Makefile fetches
# MicroPython itself. MicroPython's suite and the other CPUs run on stable's (the suite again on
# master's, in make test-upstream): one run a CPU is enough, and the time goes to the ports.
test-unstable:
ifeq ($(MICROPYTHON_DIR),$(BUILD)/micropython/src)
ifeq ($(MICROPYTHON_SUITE),stable)
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/debian-unstable MICROPYTHON_SUITE=unstable \
		QEMU_BOARDS=MICROBIT test-micropython qemu-test check-firmware
endif
else
	@echo "skip  Debian unstable's MicroPython: MICROPYTHON_DIR names a tree of your own"
endif

# The Rust tests, and on an x86-64 machine again as a 32-bit (i686) program, where the tally has
# 16 counters and the C hot path checks for a counter's half turn, as on every board.
test-rust: host-tools
	cargo test --quiet
	@mkdir -p $(BUILD)
	@if [ "$$(uname -m)" != x86_64 ]; then echo "skip  the 32-bit (i686) Rust tests: only on an x86-64 machine"; \
	elif ! tools/need.sh '/usr/lib/gcc/x86_64-linux-gnu/*/32/crtbegin.o' gcc-multilib; then exit 1; \
	elif ! { tools/rust-targets.sh i686-unknown-linux-gnu; tools/rust-targets.sh --have i686-unknown-linux-gnu; }; then \
		echo "skip  the 32-bit (i686) Rust tests"; \
	elif cargo test --quiet --target i686-unknown-linux-gnu >$(BUILD)/test-i686.log 2>&1; then \
		echo "ok    the Rust tests as a 32-bit (i686) program: $$(grep 'test result' $(BUILD)/test-i686.log | tail -n 1)"; \
	else tail -n 40 $(BUILD)/test-i686.log; echo "memorymonitor: the 32-bit (i686) Rust tests failed" >&2; exit 1; fi

# The core under Miri, with the Rust stand-in host of src/ffi/miri_host.rs (Miri cannot call the C
# one): the registry, the slow path, retire, thread end, reset and the tally arithmetic, under
# Stacked Borrows and again under Tree Borrows. Miri needs a nightly, pinned here and installed
# once; where rustup here cannot have it, the check is skipped, saying so. Miri runs on
# one core: the two models run side by side, each with its own target folder (cargo locks one).
MIRI_TOOLCHAIN := nightly-2026-05-15
test-miri: host-tools
	@mkdir -p $(BUILD)
	@if ! rustup run $(MIRI_TOOLCHAIN) cargo miri --version >/dev/null 2>&1 \
		&& ! rustup toolchain install $(MIRI_TOOLCHAIN) --profile minimal -c miri -c rust-src >$(BUILD)/miri.log 2>&1; then \
		echo "skip  Miri: rustup toolchain install $(MIRI_TOOLCHAIN) -c miri failed here (log: $(BUILD)/miri.log)"; \
	else \
		cargo +$(MIRI_TOOLCHAIN) miri setup >$(BUILD)/miri.log 2>&1 || { cat $(BUILD)/miri.log; exit 1; }; \
		MIRIFLAGS= CARGO_TARGET_DIR=$(BUILD)/miri-stacked cargo +$(MIRI_TOOLCHAIN) miri test --quiet \
			>$(BUILD)/miri-stacked.log 2>&1 & stacked=$$!; \
		MIRIFLAGS=-Zmiri-tree-borrows CARGO_TARGET_DIR=$(BUILD)/miri-tree cargo +$(MIRI_TOOLCHAIN) miri test \
			--quiet >$(BUILD)/miri-tree.log 2>&1; tree=$$?; wait $$stacked; stacked=$$?; \
		for run in stacked:$$stacked tree:$$tree; do \
			model=$${run%:*}; log=$(BUILD)/miri-$$model.log; \
			if [ $${run#*:} = 0 ]; then echo "ok    Miri, $$model borrows: $$(grep 'test result' $$log | tail -n 1)"; \
			else tail -n 60 $$log; echo "memorymonitor: Miri ($$model borrows) failed (log: $$log)" >&2; exit 1; fi; \
		done; \
	fi

lint: host-tools
	cargo fmt --check
	cargo clippy --quiet --all-targets -- -D warnings

# The committed include/memorymonitor.h and .exports, and src/host.rs, must be what cbindgen and
# bindgen make of the sources now (bindgen needs libclang, which no firmware build does); and the
# README's CircuitPython board lines are ports/circuitpython/boards.txt.
check-generated: host-tools
	@tools/need.sh '/usr/lib/llvm-*/lib/libclang.so' libclang-dev
	cargo build --quiet --features regen
	@tools/board-lines.sh --check

regen: host-tools
	@tools/need.sh '/usr/lib/llvm-*/lib/libclang.so' libclang-dev
	MM_REGEN=write cargo build --quiet --features regen
	@tools/board-lines.sh

test-micropython: micropython
	$(call run-tests,$(BUILD)/test-results,--ours,MICROPY_MICROPYTHON=$(MICROPYTHON))

# mmcheck, the companion package: tests/package/*.py on the unix port (found through
# MICROPYPATH) and on the emulated MICROBIT and VIRT_RV32 (no filesystem there: each test with
# mmcheck's source in place of its import), then the tests of examples/ci on the unix port, where
# over_budget.py must fail with the message of over_budget.expected. micropython-lib's unittest,
# for the unittest-style example, comes from the MicroPython tree or the upstream snapshots;
# without either that one file is skipped, saying so.
MPLIB_TARBALL := $(UPSTREAM)/micropython/micropython-1.28.0-lib-micropython-lib.tar.xz
UNITTEST_DIR = $(firstword $(wildcard $(MICROPYTHON_DIR)/lib/micropython-lib/python-stdlib/unittest) \
	$(if $(wildcard $(MPLIB_TARBALL)),$(BUILD)/micropython-lib/lib/micropython-lib/python-stdlib/unittest))
test-package: micropython qemu-build-MICROBIT qemu-build-VIRT_RV32
	@if [ -f $(MPLIB_TARBALL) ] && [ ! -f $(BUILD)/micropython-lib.unpacked ]; then \
		rm -rf $(BUILD)/micropython-lib && mkdir -p $(BUILD)/micropython-lib \
		&& tar -xJf $(MPLIB_TARBALL) -C $(BUILD)/micropython-lib --strip-components=1 && touch $(BUILD)/micropython-lib.unpacked; fi
	@python3 tools/test-package.py $(MICROPYTHON_DIR)/tests --build $(BUILD)/package \
		--unix micropython=$(MICROPYTHON) \
		$(foreach b,MICROBIT VIRT_RV32,--board "$(b)=$$($(ROOT)/tools/qemu-command.sh $(MICROPYTHON_DIR) $(b)) -kernel $(call qemu-dir,$(b))/firmware.elf") \
		$(if $(UNITTEST_DIR),--unittest $(UNITTEST_DIR))

# The CircuitPython stub declares what the built module has.
check-stub: micropython
	@python3 tools/check-stub.py $(MICROPYTHON) ports/circuitpython/memorymonitor/__init__.pyi

# Cross builds: the Rust targets, the Arm and RISC-V toolchains (with picolibc) and the emulators.
qemu-tools: host-tools
	@tools/rust-targets.sh $(RUST_TARGETS)
	@tools/need.sh arm-none-eabi-gcc gcc-arm-none-eabi
	@tools/need.sh '/usr/lib/arm-none-eabi/lib/thumb/v6-m/nofp/libc.a' libnewlib-arm-none-eabi
	@tools/need.sh qemu-system-arm qemu-system-arm
	@tools/need.sh riscv64-unknown-elf-gcc gcc-riscv64-unknown-elf
	@tools/need.sh '/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs' picolibc-riscv64-unknown-elf
	@tools/need.sh qemu-system-riscv32 qemu-system-misc

# Which Rust target each CPU's flags select, and that the core builds for every one of them,
# finding the bucket with a leading-zeros instruction exactly where the CPU has one.
check-targets: qemu-tools
	@$(MAKE) -s -C tests/target check check-link check-circuitpython
	@for t in $(RUST_TARGETS); do \
		tools/rust-targets.sh --have $$t || continue; \
		cargo build --quiet --release --target $$t && echo "ok    the core builds for $$t" || exit 1; \
		tools/check-clz.sh $$t || exit 1; done

# The staticlib of every CPU of tools/cpus.txt defines exactly the C ABI, and links with a C file
# that calls the hooks as CircuitPython does.
check-abi: qemu-tools
	@tools/check-abi.sh

# micropython.cmake, consumed by MicroPython's py/usermod.cmake for a Cortex-M0+ toolchain.
check-cmake: qemu-tools $(MICROPYTHON_DIR)/py/gc.c
	@tools/need.sh cmake cmake
	@rm -rf $(BUILD)/cmake
	@cmake -S tests/cmake -B $(BUILD)/cmake -DCMAKE_TOOLCHAIN_FILE=$(ROOT)/tests/cmake/cortex-m0plus.cmake \
		-DMICROPY_DIR=$(MICROPYTHON_DIR) -DUSER_C_MODULES=$(ROOT)/micropython.cmake \
		-DEXPECTED_TARGET=thumbv6m-none-eabi >$(BUILD)/cmake.log 2>&1 \
		&& cmake --build $(BUILD)/cmake >>$(BUILD)/cmake.log 2>&1 \
		|| { tail -n 20 $(BUILD)/cmake.log; echo "memorymonitor: the cmake check failed (log: $(BUILD)/cmake.log)" >&2; exit 1; }
	@echo "ok    micropython.cmake through py/usermod.cmake: thumbv6m core built and linked"

qemu: qemu-build-MICROBIT
qemu-stock: qemu-stock-MICROBIT

qemu-build-%: qemu-tools $(MICROPYTHON_DIR)/py/gc.c
	$(call port-make,qemu,$(call qemu-dir,$*),BOARD=$* $(call qemu-args,$*) FROZEN_MANIFEST= USER_C_MODULES=$(ROOT),the qemu port for $*)
	@echo "built $(call qemu-dir,$*)/firmware.elf"

qemu-stock-%: qemu-tools $(MICROPYTHON_DIR)/py/gc.c
	$(call port-make,qemu,$(call qemu-dir,$*)-stock,BOARD=$* $(call qemu-args,$*) FROZEN_MANIFEST=,the stock qemu port for $*)

# Every test in tests/ on each emulated board, through its REPL, with the port's own emulator
# command line. The runner soft-resets the board before each test, which mm_reset_2_after.py
# relies on.
qemu-test: $(addprefix qemu-test-,$(QEMU_BOARDS))
qemu-test-%: qemu-build-%
	$(call run-tests,$(call qemu-dir,$*)-results,--ours \
		-t execpty:"$$($(ROOT)/tools/qemu-command.sh $(MICROPYTHON_DIR) $*) -kernel $(call qemu-dir,$*)/firmware.elf")

# The checks every board firmware gets (tools/check-firmware.sh): the flash added against the
# same firmware built without the module, within FLASH_BUDGET; no panic machinery; a core object
# that defines only the ABI; the allocator's callers routed through the module.
check-firmware: $(addprefix check-firmware-,$(QEMU_BOARDS))
check-firmware-%: qemu-build-% qemu-stock-%
	@tools/check-firmware.sh "qemu $*" $(call qemu-dir,$*)-stock/firmware.elf $(call qemu-dir,$*)/firmware.elf micropython $(FLASH_BUDGET)

# What the module adds to each emulated board's firmware, against the same firmware built
# without it, after the same firmware checks as make test; the table goes into docs/flash.md.
size: check-firmware
	@python3 tools/size.py docs/flash.md $(foreach b,$(QEMU_BOARDS),"qemu \`$(b)\`" \
		$(call qemu-dir,$(b))-stock/firmware.elf $(call qemu-dir,$(b))/firmware.elf)

# Every tree in ../shared/upstream (or UPSTREAM=...), built and checked as a user would, with
# stock builds beside them; skipped, saying so, where there is no such folder.
test-upstream: qemu-tools
	@FLASH_BUDGET=$(FLASH_BUDGET) VENV=$(VENV) UNIX_OPTS="$(UNIX_OPTS)" SIDE_BY_SIDE_BOARDS=$(SIDE_BY_SIDE_BOARDS) \
		tools/test-upstream.sh $(UPSTREAM) $(BUILD)/upstream

clean:
	rm -rf $(BUILD)/unix $(BUILD)/unix-stock $(BUILD)/unix-asan $(BUILD)/unix-pool* $(BUILD)/qemu-* \
		$(BUILD)/debian-unstable $(BUILD)/package $(BUILD)/micropython-lib* $(BUILD)/upstream $(BUILD)/abi \
		$(BUILD)/cmake $(BUILD)/suite $(BUILD)/*-results $(BUILD)/*.log $(BUILD)/*.md target
