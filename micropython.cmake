# memorymonitor as a MicroPython user C module for cmake-based ports (rp2, esp32, ...):
#   make -C ports/rp2 USER_C_MODULES=/path/to/memorymonitor/micropython.cmake
# The same choices as micropython.mk: the Rust target from the compiler flags, the core built by
# cargo, the allocator routed through cmodule/wrap.c by the linker.

set(MEMORYMONITOR_DIR ${CMAKE_CURRENT_LIST_DIR})

add_library(usermod_memorymonitor INTERFACE)
target_sources(usermod_memorymonitor INTERFACE
    ${MEMORYMONITOR_DIR}/cmodule/modmemorymonitor.c
    ${MEMORYMONITOR_DIR}/cmodule/AllocationAlarm.c
    ${MEMORYMONITOR_DIR}/cmodule/AllocationSize.c
    ${MEMORYMONITOR_DIR}/cmodule/port.c
    ${MEMORYMONITOR_DIR}/cmodule/wrap.c
)
target_include_directories(usermod_memorymonitor INTERFACE
    ${MEMORYMONITOR_DIR}/include
    ${MEMORYMONITOR_DIR}/cmodule
)

find_program(MEMORYMONITOR_CARGO cargo)
if (NOT MEMORYMONITOR_CARGO)
    message(FATAL_ERROR "memorymonitor needs cargo and rustc: install Rust with rustup (https://rustup.rs)")
endif()

# The Rust target, from the compiler and its flags (tools/rust-target.sh, which micropython.mk
# asks too); a toolchain that names its CPU only as the system processor is asked about that.
if (NOT MEMORYMONITOR_TARGET)
    separate_arguments(_mm_flags UNIX_COMMAND "${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_INIT}")
    if (NOT _mm_flags MATCHES "-mcpu=|-march=" AND CMAKE_SYSTEM_PROCESSOR MATCHES "^cortex-")
        list(APPEND _mm_flags -mcpu=${CMAKE_SYSTEM_PROCESSOR})
    endif()
    execute_process(COMMAND sh ${MEMORYMONITOR_DIR}/tools/rust-target.sh ${CMAKE_C_COMPILER} ${_mm_flags}
        OUTPUT_VARIABLE MEMORYMONITOR_TARGET OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _mm_result)
    if (NOT _mm_result EQUAL 0)
        message(FATAL_ERROR "${MEMORYMONITOR_TARGET}")
    endif()
endif()
if (CMAKE_INTERPROCEDURAL_OPTIMIZATION OR "${CMAKE_C_FLAGS}" MATCHES "-flto")
    message(FATAL_ERROR "memorymonitor: link-time wrapping of gc_alloc is lost under LTO: build this port without it")
endif()
message("memorymonitor: Rust target ${MEMORYMONITOR_TARGET}")

set(_mm_out ${CMAKE_CURRENT_BINARY_DIR}/memorymonitor)
set(_mm_lib ${_mm_out}/libmemorymonitor.a)
set(_mm_cargo_lib ${_mm_out}/cargo/${MEMORYMONITOR_TARGET}/release/libmemorymonitor.a)
set(MEMORYMONITOR_OBJ ${_mm_out}/memorymonitor-core.o)
if (MEMORYMONITOR_TARGET MATCHES "^thumb")
    # rustc's Arm unwind index tables are of no use (panic = "abort"); a linker script need not
    # place them. The stack note would make the linker warn about newlib's startup files.
    set(_mm_copy ${CMAKE_OBJCOPY} -R .ARM.exidx* -R .ARM.extab* -R .note.GNU-stack ${_mm_cargo_lib} ${_mm_lib})
else()
    set(_mm_copy ${CMAKE_COMMAND} -E copy ${_mm_cargo_lib} ${_mm_lib})
endif()
# The core joins the firmware as one relocatable object holding just what the exported functions
# need, as in micropython.mk: a staticlib on the link line would also hand compiler_builtins'
# memmove and log2f to the whole firmware, ahead of the C library.
file(STRINGS ${MEMORYMONITOR_DIR}/include/memorymonitor.h _mm_decls REGEX "^[a-z].*[ *][a-z_]+\\(.*\\);$")
set(_mm_undefined)
foreach(_mm_decl ${_mm_decls})
    string(REGEX REPLACE "^.*[ *]([a-z_]+)\\(.*$" "\\1" _mm_name "${_mm_decl}")
    list(APPEND _mm_undefined -u ${_mm_name})
endforeach()
# cargo decides whether the core is stale, so it runs every build.
add_custom_target(memorymonitor_core_build
    COMMAND ${MEMORYMONITOR_CARGO} build --release --quiet
        --manifest-path ${MEMORYMONITOR_DIR}/Cargo.toml
        --target ${MEMORYMONITOR_TARGET} --target-dir ${_mm_out}/cargo
    COMMAND ${_mm_copy}
    COMMAND ${CMAKE_LINKER} -r ${_mm_undefined} -o ${MEMORYMONITOR_OBJ} ${_mm_lib}
    BYPRODUCTS ${MEMORYMONITOR_OBJ} ${_mm_lib}
    COMMENT "memorymonitor: cargo build --target ${MEMORYMONITOR_TARGET}"
    VERBATIM)
# An imported library whose file is an object: the linker takes all of it.
add_library(memorymonitor_core STATIC IMPORTED GLOBAL)
set_target_properties(memorymonitor_core PROPERTIES IMPORTED_LOCATION ${MEMORYMONITOR_OBJ})
add_dependencies(memorymonitor_core memorymonitor_core_build)

target_link_libraries(usermod_memorymonitor INTERFACE memorymonitor_core)
target_link_options(usermod_memorymonitor INTERFACE
    -Wl,--wrap=gc_alloc -Wl,--wrap=gc_realloc -Wl,--wrap=gc_init -Wl,--wrap=gc_sweep_all
    -Wl,--wrap=mp_thread_finish)
target_link_libraries(usermod INTERFACE usermod_memorymonitor)
