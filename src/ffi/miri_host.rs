//! The stand-in host of the unit tests under Miri, which cannot call the C one
//! (tests/c/harness.c): the same functions, in Rust, with raw pointers where the core keeps them.
//! A thread's tally lives in a box that its thread-local owner frees when the thread ends, after
//! ending the thread's monitors, as a host whose thread storage ends with the thread must.

use super::{mm_track_slow, THREAD_END};
use crate::monitor::{Monitor, Tally};
use core::cell::{Cell, UnsafeCell};
use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

struct Head(UnsafeCell<*mut Monitor>);

// SAFETY: the core reads and writes the head only with the registry lock held.
unsafe impl Sync for Head {}

static HEAD: Head = Head(UnsafeCell::new(ptr::null_mut()));

struct Owner(*mut Tally);

impl Drop for Owner {
    fn drop(&mut self) {
        let before = RAISED.with(|r| r.get());
        // SAFETY: the box is this thread's tally, which the host handed out; after its monitors
        // are ended nothing points into it.
        unsafe {
            mm_track_slow(ptr::null_mut(), self.0, THREAD_END);
            drop(Box::from_raw(self.0));
        }
        if RAISED.with(|r| r.get()) != before {
            END_RAISED.fetch_add(1, Relaxed);
        }
    }
}

thread_local! {
    static TALLY: Owner = Owner(Box::into_raw(Box::new(Tally::zeroed())));
    static RAISED: Cell<usize> = const { Cell::new(0) };
}

#[no_mangle]
extern "C" fn mm_host_head() -> *mut *mut Monitor {
    HEAD.0.get()
}

#[no_mangle]
extern "C" fn mm_host_tally() -> *mut Tally {
    TALLY.with(|t| t.0)
}

#[no_mangle]
extern "C" fn mm_host_claim_tally() -> *mut Tally {
    mm_host_tally()
}

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// How many thread ends raised: there must be none (a host's thread end cannot take a raise).
static END_RAISED: AtomicUsize = AtomicUsize::new(0);

#[no_mangle]
extern "C" fn mm_harness_end_raised() -> usize {
    END_RAISED.load(Relaxed)
}

#[no_mangle]
extern "C" fn mm_host_active(active: bool) {
    ACTIVE.store(active, Relaxed);
}

#[no_mangle]
extern "C" fn mm_harness_active() -> bool {
    ACTIVE.load(Relaxed)
}

#[no_mangle]
extern "C" fn mm_host_raise_allocation_error(blocks: usize) {
    RAISED.with(|r| r.set(blocks));
}

#[no_mangle]
extern "C" fn mm_harness_take_raised() -> usize {
    RAISED.with(|r| r.replace(0))
}

/// Stands in for the C hot path, which Miri cannot run: its Rust model (the C path is held to
/// the model in the ordinary test run).
#[no_mangle]
extern "C" fn memorymonitor_track_allocation(blocks: usize) {
    let t = mm_host_tally();
    // SAFETY: this thread's tally, valid while the thread lives.
    if mm_harness_active() && blocks != 0 && unsafe { (*t).count(blocks) } {
        // SAFETY: as above.
        unsafe { mm_track_slow(ptr::null_mut(), t, blocks) };
    }
}
