//! The C ABI and the registry of active monitors. All of the crate's `unsafe` is here.
//!
//! A host makes a monitor by zeroing an `mm_monitor_t` (an inactive size monitor), and turns it
//! into an alarm with `mm_alarm_init`. Every function taking a `*mut Monitor` expects null or
//! such a monitor, which the host keeps alive (and unmoved) for as long as it is active;
//! MicroPython guarantees both, because the active list is rooted in the host's garbage collector.
//! A null monitor is refused without a crash.

use core::ptr::{self, addr_of_mut};
use core::sync::atomic::{AtomicBool, Ordering::Relaxed};

use crate::bucket;
use crate::monitor::{Monitor, Status, Verdict, Watch};
use crate::port;

/// Whether the active list may be non-empty: read without the lock on every allocation, by the
/// hook and by a host's allocator wrappers, so that nothing else happens while no monitor is
/// active. Written only with the registry lock held. Hosts read it with a relaxed atomic load.
#[no_mangle]
#[allow(non_upper_case_globals)]
pub static mm_active: AtomicBool = AtomicBool::new(false);

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
        unsafe { port::mm_port_critical_exit(self.0) }
    }
}

/// Takes the registry lock. Out of line, so that each caller is a call and not a copy.
#[cfg(target_os = "none")]
#[inline(never)]
fn lock() -> Registry {
    // SAFETY: a port function with no preconditions.
    Registry(unsafe { port::mm_port_critical_enter() })
}

#[cfg(not(target_os = "none"))]
static REGISTRY: spin::Mutex<()> = spin::Mutex::new(());

/// Takes the registry lock.
#[cfg(not(target_os = "none"))]
fn lock() -> spin::MutexGuard<'static, ()> {
    REGISTRY.lock()
}

/// Makes the zeroed, inactive monitor `m` an alarm for allocations of `minimum` blocks or more.
/// (A zeroed `mm_monitor_t` is an inactive size monitor already.) Refuses a `minimum` below 1
/// and leaves `m` as it was.
///
/// # Safety
/// `m` is null or an inactive monitor: zeroed memory the size of an `mm_monitor_t`, or a
/// monitor that is not on the active list.
#[no_mangle]
pub unsafe extern "C" fn mm_alarm_init(m: *mut Monitor, minimum: isize) -> Status {
    match (Watch::alarm(minimum), m.is_null()) {
        (Err(e), _) => e,
        (Ok(_), true) => Status::Ok,
        (Ok(watch), false) => {
            // SAFETY: m is a valid, inactive monitor, so no other thread reads it.
            unsafe { (*m).watch = watch };
            Status::Ok
        }
    }
}

/// Activates `m` for the calling thread: a size monitor's counts start again from zero.
/// Refuses a monitor that is already active.
///
/// # Safety
/// `m` is null or a monitor made as the module documentation says.
#[no_mangle]
pub unsafe extern "C" fn mm_enter(m: *mut Monitor) -> Status {
    if m.is_null() {
        return Status::Ok;
    }
    // SAFETY: a port function with no preconditions.
    let owner = unsafe { port::mm_port_thread() };
    let _registry = lock();
    // SAFETY: the host's list head is valid and every monitor on the list is alive; the lock
    // gives this thread sole access to the list and to m's fields.
    unsafe {
        let head = port::mm_port_head();
        if find(head, m).is_some() {
            return Status::AlreadyActive;
        }
        (*m).watch.enter();
        (*m).owner = owner;
        (*m).next = *head;
        *head = m;
    }
    mm_active.store(true, Relaxed);
    Status::Ok
}

/// Deactivates `m` and puts an alarm's ignore count back to zero. Harmless on a monitor that
/// is not active, whether it never was, already left, or was stopped by its own alarm.
///
/// # Safety
/// As `mm_enter`.
#[no_mangle]
pub unsafe extern "C" fn mm_exit(m: *mut Monitor) {
    if m.is_null() {
        return;
    }
    let _registry = lock();
    // SAFETY: as in mm_enter.
    unsafe {
        let head = port::mm_port_head();
        if let Some(link) = find(head, m) {
            *link = (*m).next;
            (*m).next = ptr::null_mut();
        }
        (*m).watch.exit();
        mm_active.store(!(*head).is_null(), Relaxed);
    }
}

/// Sets how many qualifying allocations alarm `m` lets pass before it fires. Refuses a
/// negative count; on a size monitor a valid count has no effect.
///
/// # Safety
/// As `mm_enter`.
#[no_mangle]
pub unsafe extern "C" fn mm_ignore(m: *mut Monitor, count: isize) -> Status {
    if m.is_null() {
        return Status::Ok;
    }
    let _registry = lock();
    // SAFETY: the lock gives sole access to m's fields, which the allocation path also writes.
    let watch = unsafe { &mut (*m).watch };
    match watch.set_ignore(count) {
        Ok(()) => Status::Ok,
        Err(e) => e,
    }
}

/// Size monitor `m`'s count in `bucket`; 0 for an alarm, a bucket past the last, or null.
///
/// # Safety
/// As `mm_enter`.
#[no_mangle]
pub unsafe extern "C" fn mm_count(m: *const Monitor, bucket: usize) -> u16 {
    if m.is_null() {
        return 0;
    }
    let _registry = lock();
    // SAFETY: the lock keeps the allocation path from writing the counts while they are read.
    unsafe { (*m).watch.count(bucket) }
}

/// The largest allocation, in blocks, that `bucket` counts; 0 where there is no upper bound
/// (the last bucket) or no such bucket. The smallest is one more than the previous bucket's.
#[no_mangle]
pub extern "C" fn mm_bucket_limit(bucket: usize) -> usize {
    bucket::bucket_limit(bucket)
}

/// Mutes (`on`) or unmutes the calling thread's active alarms. The host mutes them while it
/// builds an exception of the module's own, so that no alarm replaces that exception with
/// AllocationError; size monitors still count its allocations. Other threads' alarms are not
/// touched.
#[no_mangle]
pub extern "C" fn mm_mute(on: bool) {
    // SAFETY: a port function with no preconditions.
    let thread = unsafe { port::mm_port_thread() };
    let _registry = lock();
    // SAFETY: as in mm_enter.
    unsafe {
        let mut m = *port::mm_port_head();
        while let Some(n) = m.as_mut() {
            if n.owner == thread {
                n.watch.mute(on);
            }
            m = n.next;
        }
    }
}

/// CircuitPython's allocation hook: `blocks` blocks were just allocated by the calling thread.
/// Every active monitor of that thread sees it: size monitors count it, and alarms it trips are
/// deactivated, after which the host is asked to raise `AllocationError` (and may not return).
#[no_mangle]
pub extern "C" fn memorymonitor_track_allocation(blocks: usize) {
    if !mm_active.load(Relaxed) || blocks == 0 {
        return;
    }
    // SAFETY: a port function with no preconditions.
    let thread = unsafe { port::mm_port_thread() };
    let registry = lock();
    let mut fired = false;
    // SAFETY: the list head is valid, every monitor on the list is alive, and the lock gives
    // this thread sole access to the list and the monitors' fields.
    unsafe {
        let head = port::mm_port_head();
        let mut link = head;
        while let Some(m) = (*link).as_mut() {
            if m.owner == thread && m.watch.observe(blocks) == Verdict::Fire {
                *link = m.next;
                m.next = ptr::null_mut();
                fired = true;
            } else {
                link = &mut m.next;
            }
        }
        mm_active.store(!(*head).is_null(), Relaxed);
    }
    drop(registry);
    if fired {
        // SAFETY: the lock is released and no value with a destructor is live in this frame,
        // so the host may leave it by longjmp (MicroPython's nlr) without skipping a drop.
        unsafe { port::mm_port_raise_allocation_error(blocks) }
    }
}

/// CircuitPython's reset hook: the heap is about to be re-initialised, and with it every
/// monitor. Forget them all, so nothing points into the old heap.
#[no_mangle]
pub extern "C" fn memorymonitor_reset() {
    let _registry = lock();
    // SAFETY: the head pointer is valid; the monitors it points to are not touched.
    unsafe { *port::mm_port_head() = ptr::null_mut() };
    mm_active.store(false, Relaxed);
}

/// The link that points at `m` in the list at `head`, if `m` is on it.
///
/// # Safety
/// The caller holds the registry lock, `head` is valid and every monitor on the list is alive.
unsafe fn find(head: *mut *mut Monitor, m: *mut Monitor) -> Option<*mut *mut Monitor> {
    let mut link = head;
    // SAFETY: per the function's contract.
    unsafe {
        while !(*link).is_null() {
            if *link == m {
                return Some(link);
            }
            link = addr_of_mut!((**link).next);
        }
    }
    None
}

#[cfg(test)]
mod tests;
