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

# The Rust target, by -mcpu (the toolchain's CPU when the flags name none).
if (NOT MEMORYMONITOR_TARGET)
    set(_mm_flags "${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_INIT}")
    if (_mm_flags MATCHES "-mcpu=([^ ]+)")
        set(_mm_cpu ${CMAKE_MATCH_1})
    elseif (CMAKE_CROSSCOMPILING)
        set(_mm_cpu ${CMAKE_SYSTEM_PROCESSOR})
    endif()
    if (NOT _mm_cpu)
        execute_process(COMMAND rustc -vV OUTPUT_VARIABLE _mm_rustc)
        string(REGEX MATCH "host: ([^\n]+)" _ "${_mm_rustc}")
        set(MEMORYMONITOR_TARGET ${CMAKE_MATCH_1})
    elseif (_mm_cpu MATCHES "^cortex-m(0|0plus|1)$")
        set(MEMORYMONITOR_TARGET thumbv6m-none-eabi)
    elseif (_mm_cpu STREQUAL "cortex-m3")
        set(MEMORYMONITOR_TARGET thumbv7m-none-eabi)
    elseif (_mm_cpu MATCHES "^cortex-m(4|7)$" AND _mm_flags MATCHES "-mfloat-abi=hard")
        set(MEMORYMONITOR_TARGET thumbv7em-none-eabihf)
    elseif (_mm_cpu MATCHES "^cortex-m(4|7)$")
        set(MEMORYMONITOR_TARGET thumbv7em-none-eabi)
    else()
        message(FATAL_ERROR "memorymonitor: no Rust target is known for CPU ${_mm_cpu}: set MEMORYMONITOR_TARGET to its Rust target triple")
    endif()
endif()
if (CMAKE_INTERPROCEDURAL_OPTIMIZATION OR "${CMAKE_C_FLAGS}" MATCHES "-flto")
    message(FATAL_ERROR "memorymonitor: link-time wrapping of gc_alloc is lost under LTO: build this port without it")
endif()
message("memorymonitor: Rust target ${MEMORYMONITOR_TARGET}")

set(_mm_out ${CMAKE_CURRENT_BINARY_DIR}/memorymonitor)
set(MEMORYMONITOR_LIB ${_mm_out}/libmemorymonitor.a)
set(_mm_cargo_lib ${_mm_out}/cargo/${MEMORYMONITOR_TARGET}/release/libmemorymonitor.a)
if (MEMORYMONITOR_TARGET MATCHES "^thumb")
    # rustc's Arm unwind index tables are of no use (panic = "abort"); a linker script need not place them.
    set(_mm_copy ${CMAKE_OBJCOPY} -R .ARM.exidx* -R .ARM.extab* ${_mm_cargo_lib} ${MEMORYMONITOR_LIB})
else()
    set(_mm_copy ${CMAKE_COMMAND} -E copy_if_different ${_mm_cargo_lib} ${MEMORYMONITOR_LIB})
endif()
# cargo decides whether the core is stale, so it runs every build.
add_custom_target(memorymonitor_core_build
    COMMAND ${MEMORYMONITOR_CARGO} build --release --quiet
        --manifest-path ${MEMORYMONITOR_DIR}/Cargo.toml
        --target ${MEMORYMONITOR_TARGET} --target-dir ${_mm_out}/cargo
    COMMAND ${_mm_copy}
    BYPRODUCTS ${MEMORYMONITOR_LIB}
    COMMENT "memorymonitor: cargo build --target ${MEMORYMONITOR_TARGET}"
    VERBATIM)
add_library(memorymonitor_core STATIC IMPORTED GLOBAL)
set_target_properties(memorymonitor_core PROPERTIES IMPORTED_LOCATION ${MEMORYMONITOR_LIB})
add_dependencies(memorymonitor_core memorymonitor_core_build)

target_link_libraries(usermod_memorymonitor INTERFACE memorymonitor_core)
target_link_options(usermod_memorymonitor INTERFACE
    -Wl,--wrap=gc_alloc -Wl,--wrap=gc_realloc -Wl,--wrap=gc_init -Wl,--wrap=gc_sweep_all)
target_link_libraries(usermod INTERFACE usermod_memorymonitor)
