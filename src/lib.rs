//! memorymonitor: the allocation monitors of CircuitPython's `memorymonitor` module, as a
//! `no_std` core for MicroPython and CircuitPython firmware.
//!
//! The core owns the policy: which monitors are active, what a size monitor reports, when an
//! alarm fires. The hot path of every host (`cmodule/track.h`, C) counts allocations into the
//! thread's tally and calls the core (`mm_track_slow`) only for those an alarm may want; the
//! core asks its host for what `cmodule/host.h` declares.
//! The C shim in `cmodule/` turns the ABI in `include/memorymonitor.h` into Python objects.
#![cfg_attr(not(test), no_std)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod bucket;
pub mod ffi;
pub mod monitor;
// The critical-section functions are only called on bare metal. (cmodule/host.h declares these
// for C; cbindgen skips the module.)
/// cbindgen:ignore
#[allow(dead_code)]
mod host;

/// No path in this crate panics: every index is below its array's length by construction (a
/// bucket is capped at the last, a tally's counters cover every bucket), nothing is unwrapped,
/// and no arithmetic can fail in release builds; the firmware check proves that no panic
/// machinery is linked in.
#[cfg(not(test))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

/// On hosts whose Rust `core` is prebuilt for unwinding (the unix port's), `core` still names
/// the unwinder's personality routine although this crate is built with `panic = "abort"`.
/// Nothing calls it; bare-metal targets are prebuilt to abort and need no such symbol.
#[cfg(all(not(test), not(target_os = "none")))]
#[no_mangle]
extern "C" fn rust_eh_personality() {}
