# memorymonitor as a MicroPython user C module for cmake-based ports (rp2, esp32, ...):
#   make -C ports/rp2 USER_C_MODULES=/path/to/memorymonitor/micropython.cmake
# micropython.mk's twin: the shim, the allocator routed through cmodule/wrap.c by the renames of
# cmodule/renames.txt, and the Rust core built by tools/build-core.sh for the target it picks
# here, once.
set(MEMORYMONITOR_DIR ${CMAKE_CURRENT_LIST_DIR})
add_library(usermod_memorymonitor INTERFACE)
# The shim: every file of cmodule/*.c (wrap.c with them: MicroPython's gc.c has no hook).
file(GLOB _mm_sources ${MEMORYMONITOR_DIR}/cmodule/*.c)
target_sources(usermod_memorymonitor INTERFACE ${_mm_sources})
target_include_directories(usermod_memorymonitor INTERFACE ${MEMORYMONITOR_DIR}/include ${MEMORYMONITOR_DIR}/cmodule)
# Each line FILE:NAME=NEW compiles that file of MicroPython with NAME renamed NEW (micropython.mk
# says why). This file is included by the port's own CMakeLists.txt, whose targets compile these
# sources, so the property reaches them.
file(STRINGS ${MEMORYMONITOR_DIR}/cmodule/renames.txt _mm_renames)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${MEMORYMONITOR_DIR}/cmodule/renames.txt)
foreach(_mm_rename ${_mm_renames})
    string(REGEX MATCH "^([^:]+):(.+)$" _mm_match ${_mm_rename})
    set_property(SOURCE ${MICROPY_DIR}/${CMAKE_MATCH_1} APPEND PROPERTY COMPILE_DEFINITIONS ${CMAKE_MATCH_2})
endforeach()

# MEMORYMONITOR_TARGET (-D, or the environment: make -C ports/rp2 MEMORYMONITOR_TARGET=...)
# overrides the target; otherwise the CPU comes from the compiler's flags, or from the system
# processor where a toolchain names it so.
if (NOT MEMORYMONITOR_TARGET)
    set(MEMORYMONITOR_TARGET $ENV{MEMORYMONITOR_TARGET})
endif()
separate_arguments(_mm_cpu UNIX_COMMAND "${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_INIT}")
if (NOT _mm_cpu MATCHES "-mcpu=|-march=" AND CMAKE_SYSTEM_PROCESSOR MATCHES "^cortex-")
    list(APPEND _mm_cpu -mcpu=${CMAKE_SYSTEM_PROCESSOR})
endif()
execute_process(COMMAND env MEMORYMONITOR_TARGET=${MEMORYMONITOR_TARGET} sh ${MEMORYMONITOR_DIR}/tools/build-core.sh
    --target ${CMAKE_C_COMPILER} ${_mm_cpu} OUTPUT_VARIABLE MEMORYMONITOR_TARGET ERROR_VARIABLE _mm_error
    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _mm_result)
if (NOT _mm_result EQUAL 0)
    message(FATAL_ERROR "${_mm_error}")
endif()
message("memorymonitor: Rust target ${MEMORYMONITOR_TARGET}")

# Runs at every build; the object only changes, and the firmware relinks, when the core does.
set(_mm_obj ${CMAKE_CURRENT_BINARY_DIR}/memorymonitor/memorymonitor-core.o)
add_custom_target(memorymonitor_core_build BYPRODUCTS ${_mm_obj} VERBATIM
    COMMAND env MEMORYMONITOR_TARGET=${MEMORYMONITOR_TARGET} sh ${MEMORYMONITOR_DIR}/tools/build-core.sh
        ${_mm_obj} ${CMAKE_LINKER} ${CMAKE_OBJCOPY} ${CMAKE_C_COMPILER})
# An imported library whose file is an object: the linker takes all of it.
add_library(memorymonitor_core STATIC IMPORTED GLOBAL)
set_target_properties(memorymonitor_core PROPERTIES IMPORTED_LOCATION ${_mm_obj})
add_dependencies(memorymonitor_core memorymonitor_core_build)
target_link_libraries(usermod_memorymonitor INTERFACE memorymonitor_core)
target_link_libraries(usermod INTERFACE usermod_memorymonitor)
