# The least of a MicroPython port that micropython.mk needs (see tests/target/Makefile).
BUILD := $(or $(TMPDIR),/tmp)/memorymonitor-target-test
USER_C_MODULES := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../..)
ECHO := @echo
FORCE:
USERMOD_DIR := $(USER_C_MODULES)/cmodule
include $(USERMOD_DIR)/micropython.mk

lib: $(MEMORYMONITOR_LIB)
