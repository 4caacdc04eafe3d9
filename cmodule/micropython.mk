# Found when USER_C_MODULES names this repository; the module's build is ../micropython.mk.
include $(patsubst %/cmodule,%,$(USERMOD_DIR))/micropython.mk
