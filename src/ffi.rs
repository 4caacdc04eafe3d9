//! The C ABI and the registry of active monitors. All of the crate's `unsafe` is here.
//!
//! A host makes a monitor by zeroing an `mm_monitor_t` (an inactive size monitor), and turns it
//! into an alarm with `mm_call(m, Alarm, minimum)`. Every function taking a `*mut Monitor`
//! expects such a monitor, which the host keeps alive (and unmoved) for as long as it is active;
//! MicroPython guarantees both, because the active list is rooted in the host's garbage collector.
//! A host gives each thread a tally (`mm_host_tally`), which must stay valid while a monitor of
//! that thread is active.

use core::ffi::c_void;
use core::ptr::{self, addr_of_mut};
use core::sync::atomic::Ordering::Relaxed;

use crate::host;
use crate::monitor::{Monitor, Status, Tally, Watch, LEAVES};

/// The registry lock guards the active list and every active monitor's state. The head of the
/// list is not here but in the host (a garbage-collector root), so the lock guards no data of
/// its own. It is never held while allocating or raising, so an allocation never waits on itself.
///
/// On bare metal it is the host's critical section: MicroPython's atomic section turns
/// interrupts off and, on the dual-core RP2040, also holds a hardware spinlock that keeps the
/// other core out. It needs no compare-and-swap, which Cortex-M0 lacks, and costs the firmware
/// less flash than a spin lock. Hosted, threads are the operating system's, and a spin lock is
/// cheaper than the host's mutex.
#[cfg(target_os = "none")]
struct Registry(usize);

#[cfg(target_os = "none")]
impl Drop for Registry {
    fn drop(&mut self) {
        // SAFETY: the state comes from the matching enter in lock(); sections nest.
        unsafe { host::mm_host_critical_exit(self.0) }
    }
}

/// Takes the registry lock: one call to the host, inline (a function around it would only add
/// its own frame).
#[cfg(target_os = "none")]
#[inline(always)]
fn lock() -> Registry {
    // SAFETY: a host function with no preconditions.
    Registry(unsafe { host::mm_host_critical_enter() })
}

#[cfg(not(target_os = "none"))]
static REGISTRY: spin::Mutex<()> = spin::Mutex::new(());

/// Takes the registry lock.
#[cfg(not(target_os = "none"))]
fn lock() -> spin::MutexGuard<'static, ()> {
    REGISTRY.lock()
}

/// Tells the host whether any monitor is active. Called with the registry lock held, at the end
/// of every operation that takes it and may change the list, whether it did or not (telling the
/// host again what it knows costs it little, a walk of the list where it looks for an alarm on
/// it, and this less flash than a test).
fn set_active() {
    // SAFETY: the host's list head is valid; the lock is held, as the host function expects.
    unsafe { host::mm_host_active(!(*host::mm_host_head()).is_null()) }
}

/// What `mm_call` does.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `__enter__`: activates the monitor for the calling thread; a size monitor's counts start
    /// again from zero. Refused on a monitor that is already active, and where the host has no
    /// tally for the thread.
    Enter,
    /// `__exit__`: deactivates the monitor, freezing a size monitor's counts, and puts an
    /// alarm's ignore count back to zero. Harmless on a monitor that is not active, whether it
    /// never was, already left, or was stopped by its own alarm. Any thread may exit any
    /// monitor. An alarm that holds an error (its `held`, set where its thread could not take
    /// one) raises it, through the host, once the lock is released.
    Exit,
    /// `ignore(arg)`: how many qualifying allocations an alarm lets pass before it fires.
    /// Refused below 0; on a size monitor a valid count has no effect.
    Ignore,
    /// Makes the zeroed, inactive monitor an alarm for allocations of `arg` blocks or more (a
    /// zeroed `mm_monitor_t` is an inactive size monitor already). Refused below 1, leaving
    /// the monitor as it was.
    Alarm,
    /// The heap is about to be re-initialised, and with it every monitor: forgets them all, so
    /// that nothing points into the old heap. The monitor argument is not used (it may be
    /// null); the monitors themselves are not touched, and must not be used again. Thresholds
    /// may be left too low, which costs one slow path each.
    Reset,
}

/// Does `op` to monitor `m`, with `arg` where the operation takes one, under the registry lock:
/// every call of the module's methods that may change a monitor comes through here (one entry
/// point, because each of its own would cost the firmware its own frame and lock).
///
/// `op` is one of the `MM_OP_T_*` constants, taken as a plain integer: any other value does
/// nothing and returns `MM_STATUS_T_UNKNOWN_OP`.
///
/// # Safety
/// `m` is a monitor made as `mm_monitor_t` says, from zeroed memory (for `MM_OP_T_ALARM`: one
/// that is not active), except for `MM_OP_T_RESET` and an unknown `op`, which do not use it.
#[no_mangle]
#[inline(never)]
pub unsafe extern "C" fn mm_call(m: *mut Monitor, op: u32, arg: isize) -> Status {
    const ENTER: u32 = Op::Enter as u32;
    const EXIT: u32 = Op::Exit as u32;
    const IGNORE: u32 = Op::Ignore as u32;
    const ALARM: u32 = Op::Alarm as u32;
    const RESET: u32 = Op::Reset as u32;
    let registry = lock();
    // The block count of the error an exited alarm held, raised once the lock is released.
    let mut raise = 0;
    // SAFETY: the lock gives this thread sole access to the list and to the monitors' fields;
    // the host's list head is valid, every monitor on the list is alive, and m is valid (except
    // for Reset, which does not read it); a tally the host hands out stays valid while a
    // monitor of its thread is active.
    let status = unsafe {
        match op {
            ENTER => enter(m),
            EXIT => {
                raise = exit(m);
                Status::Ok
            }
            IGNORE => match (*m).watch.set_ignore(arg) {
                Ok(()) => Status::Ok,
                Err(e) => e,
            },
            ALARM => match Watch::alarm(arg) {
                Ok(watch) => {
                    (*m).watch = watch;
                    Status::Ok
                }
                Err(e) => e,
            },
            RESET => {
                *host::mm_host_head() = ptr::null_mut();
                Status::Ok
            }
            _ => Status::UnknownOp,
        }
    };
    set_active();
    drop(registry);
    if raise != 0 {
        // SAFETY: as in mm_track_slow: the lock is released and nothing in this frame has a
        // destructor.
        unsafe { host::mm_host_raise_allocation_error(raise) }
    }
    status
}

/// `Op::Enter`.
///
/// # Safety
/// The caller holds the registry lock, every monitor on the list is alive, and `m` is a valid
/// monitor.
unsafe fn enter(m: *mut Monitor) -> Status {
    // SAFETY: per the function's contract.
    unsafe {
        if !(*m).tally.is_null() {
            return Status::AlreadyActive;
        }
        let tally = host::mm_host_claim_tally();
        let Some(t) = tally.as_ref() else {
            return Status::NoTally;
        };
        (*m).watch.enter(t);
        // Too low a threshold only costs the thread's next allocation the slow path, which
        // recomputes it (smaller code than lowering it here). Only this thread lowers its own,
        // so its next allocation sees it.
        t.threshold.store(0, Relaxed);
        (*m).tally = tally;
        let head = host::mm_host_head();
        (*m).next = *head;
        *head = m;
    }
    Status::Ok
}

/// `Op::Exit`. The thread's threshold may be left too low, which only costs its next
/// allocation the slow path, where it is recomputed. Returns the block count of the error an
/// alarm held (its `held`), for the caller to raise, or 0.
///
/// # Safety
/// As `enter`.
unsafe fn exit(m: *mut Monitor) -> usize {
    // SAFETY: per the function's contract.
    unsafe {
        let mut link = host::mm_host_head();
        while !(*link).is_null() && *link != m {
            link = addr_of_mut!((**link).next);
        }
        // A monitor on no list (inactive, or forgotten by a soft reset) is retired from a link
        // of its own.
        let mut alone = m;
        if (*link).is_null() {
            link = addr_of_mut!(alone);
        }
        retire(link)
    }
}

/// Size monitor `m`'s count in `bucket`; 0 for an alarm or a bucket past the last.
///
/// # Safety
/// `m` is a monitor made as `mm_monitor_t` says, from zeroed memory.
#[no_mangle]
pub unsafe extern "C" fn mm_count(m: *const Monitor, bucket: usize) -> u16 {
    let _registry = lock();
    // SAFETY: m is valid by the caller's contract; the lock keeps the slow path from changing it
    // while it is read, and an active monitor's tally is valid.
    unsafe { (*m).watch.count((*m).tally.as_ref(), bucket) }
}

/// The `blocks` of `mm_track_slow` that says the calling thread ends (no allocation is of none).
pub const THREAD_END: usize = 0;

/// The allocation path's slow path: the calling thread, whose tally is `tally`, allocated
/// `blocks` blocks, counted already in `tally`, at or above its threshold or at a counter's
/// half turn. Returns `ptr`, which it does not use, so that the C hot path can end in a tail
/// call.
/// Walks the thread's active monitors: size monitors are clamped (each keeps its counts within
/// 65535 of the tally's); at or above the threshold, alarms decide (those that fire are deactivated, after which the host is asked
/// to raise `AllocationError`, and may not return) and the threshold is recomputed from those
/// that stay. Below it (a half turn, or alarms muted) the alarms are not asked. Inside an
/// allocation that cannot take an exception (the tally's `held`) an alarm that fires stays active,
/// holding its error (its `held`) for the thread's next allocation outside one, or for its exit.
/// `blocks` `MM_THREAD_END` says that the calling thread is ending: every monitor it has active
/// is exited (a size monitor keeps its counts), so that nothing points into the thread's storage
/// once it is gone, and nothing is raised. (The same walk, for less flash than two.)
///
/// # Safety
/// `tally` is the tally the host hands out to the calling thread.
#[no_mangle]
pub unsafe extern "C" fn mm_track_slow(
    ptr: *mut c_void,
    tally: *mut Tally,
    blocks: usize,
) -> *mut c_void {
    let registry = lock();
    // The block count to raise AllocationError for once the lock is released, or 0.
    let mut raise = 0;
    // SAFETY: the list head is valid, every monitor on the list is alive, and the lock gives
    // this thread sole access to the list and the monitors' fields; tally is valid.
    unsafe {
        let t = &*tally;
        let seen = if blocks >= t.threshold.load(Relaxed) {
            blocks
        } else {
            0
        };
        let mut minimum = usize::MAX;
        let mut link = host::mm_host_head();
        loop {
            let m = *link;
            if m.is_null() {
                break;
            }
            if (*m).tally == tally {
                let mut wants = LEAVES;
                if blocks != THREAD_END {
                    wants = (*m).watch.visit(t, seen);
                    if wants == LEAVES {
                        // An alarm fired: it raises, or holds its error (wanting the next
                        // allocation) where the thread cannot take one.
                        let fired = (*m).watch.fire(blocks, t.held.load(Relaxed) != 0);
                        if fired == 0 {
                            wants = 1;
                        }
                        raise = raise.max(fired);
                    }
                }
                if wants == LEAVES {
                    // Takes m off the list: link now points past it.
                    retire(link);
                    continue;
                }
                minimum = minimum.min(wants);
            }
            link = addr_of_mut!((*m).next);
        }
        if seen != 0 {
            t.threshold.store(minimum, Relaxed);
        }
    }
    set_active();
    drop(registry);
    if raise != 0 {
        // SAFETY: the lock is released and no value with a destructor is live in this frame,
        // so the host may leave it by longjmp (MicroPython's nlr) without skipping a drop.
        unsafe { host::mm_host_raise_allocation_error(raise) }
    }
    ptr
}

/// Mutes (`on`) or unmutes the calling thread's alarms. The host mutes them while it builds an
/// exception or adds to its traceback, so that no alarm replaces that exception with its own;
/// the allocations are still counted. Muting raises the thread's threshold out of reach;
/// unmuting leaves it too low, for its next allocation to recompute.
#[no_mangle]
pub extern "C" fn mm_mute(on: bool) {
    // SAFETY: a host function with no preconditions; its tally is valid for this thread, which
    // is the only one that writes its threshold outside the registry lock.
    let t = unsafe { &*host::mm_host_tally() };
    t.threshold.store(if on { usize::MAX } else { 0 }, Relaxed);
}

/// CircuitPython's reset hook (its main.c calls it before the heap is made anew): `mm_call` with
/// `MM_OP_T_RESET`, which forgets every active monitor.
#[no_mangle]
pub extern "C" fn memorymonitor_reset() {
    // SAFETY: Reset does not use the monitor.
    unsafe { mm_call(ptr::null_mut(), Op::Reset as u32, 0) };
}

/// Exits the monitor `*link` points to, taking it off the list that `link` is a link of: the
/// active list, or a link of the monitor's own when it is not active. The list walks that
/// retire a monitor hold the link to it already, so this needs no walk of its own. Raw
/// pointers only: no reference to a monitor is held across the writes through `link`, which
/// may be the `next` field of the monitor before it. The caller tells the host afterwards
/// (`set_active`).
///
/// # Safety
/// The caller holds the registry lock, every monitor on the list is alive, and `*link` is a
/// valid monitor.
unsafe fn retire(link: *mut *mut Monitor) -> usize {
    // SAFETY: per the function's contract; an active monitor's tally is valid.
    unsafe {
        let m = *link;
        *link = (*m).next;
        (*m).next = ptr::null_mut();
        let held = (*m).watch.exit((*m).tally.as_ref());
        (*m).tally = ptr::null_mut();
        held
    }
}

/// cbindgen:ignore
#[cfg(all(test, miri))]
mod miri_host;
#[cfg(test)]
mod tests;
