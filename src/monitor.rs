//! One monitor's state and what an allocation does to it. No pointers, no locks: the registry in
//! `ffi` decides which monitors see an allocation, this module decides what each one does with it.

use core::ffi::c_void;
use core::ptr;

use crate::bucket::{bucket_of, BUCKETS};

/// Why a call was refused. The C shim turns each one into a Python exception.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok = 0,
    /// `__enter__` on a monitor that is already active.
    AlreadyActive,
    /// `minimum_block_count` below 1.
    MinimumBelowOne,
    /// `ignore()` with a count below 0.
    NegativeCount,
}

/// What a monitor does: count allocations by size, or raise on a large one.
#[repr(C, u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watch {
    /// Saturating allocation counts, one per power-of-two bucket.
    Size { counts: [u16; BUCKETS] },
    /// Fires on an allocation of `minimum` blocks or more, after letting `ignore` of them pass.
    /// While `muted` (the host building an exception) it sees no allocation at all.
    Alarm {
        minimum: usize,
        ignore: usize,
        muted: bool,
    },
}

/// What an allocation did to a monitor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Stay active.
    Keep,
    /// An alarm went off: deactivate it, then raise.
    Fire,
}

/// A monitor as the host allocates it: inside its own object, at offset 0. All zeroes is an
/// inactive size monitor (`Watch::Size` is variant 0), so a host makes one by zeroing memory.
///
/// Active monitors form a singly linked list through `next`, rooted in the host. The links are the
/// monitors' own addresses, so when the monitor starts the host object, a garbage collector that
/// only follows pointers to the start of an object still sees every active monitor as reachable.
/// That is why the host's object header lives in `base`, inside this struct, and not before it.
#[repr(C)]
pub struct Monitor {
    /// The host's object header (MicroPython's `mp_obj_base_t`). Never read or written here.
    pub base: *const c_void,
    /// The next active monitor; null at the end of the list and while inactive.
    pub next: *mut Monitor,
    /// The thread that entered this monitor: only its allocations are seen.
    pub owner: *const c_void,
    pub watch: Watch,
}

impl Watch {
    pub const fn size() -> Self {
        Watch::Size {
            counts: [0; BUCKETS],
        }
    }

    pub fn alarm(minimum: isize) -> Result<Self, Status> {
        if minimum < 1 {
            return Err(Status::MinimumBelowOne);
        }
        Ok(Watch::Alarm {
            minimum: minimum as usize,
            ignore: 0,
            muted: false,
        })
    }

    /// Sets how many qualifying allocations an alarm lets pass. A size monitor has nothing to
    /// ignore and takes any non-negative count without effect.
    pub fn set_ignore(&mut self, count: isize) -> Result<(), Status> {
        if count < 0 {
            return Err(Status::NegativeCount);
        }
        if let Watch::Alarm { ignore, .. } = self {
            *ignore = count as usize;
        }
        Ok(())
    }

    /// `__enter__` clears a size monitor's counts. An alarm keeps the ignore count set before it.
    pub fn enter(&mut self) {
        if let Watch::Size { counts } = self {
            // Not `*counts = [0; BUCKETS]`: that is a memset, and on Arm the memset pulls
            // hundreds of bytes of compiler_builtins into the firmware. black_box hides the
            // pattern from the optimiser.
            for count in counts.iter_mut() {
                *count = core::hint::black_box(0);
            }
        }
    }

    /// `__exit__` puts an alarm's ignore count back to zero, and unmutes it. A size monitor
    /// keeps its counts.
    pub fn exit(&mut self) {
        if let Watch::Alarm { ignore, muted, .. } = self {
            *ignore = 0;
            *muted = false;
        }
    }

    /// Mutes (`on`) or unmutes an alarm; a size monitor goes on counting.
    pub fn mute(&mut self, on: bool) {
        if let Watch::Alarm { muted, .. } = self {
            *muted = on;
        }
    }

    /// One allocation of `blocks` blocks while active.
    pub fn observe(&mut self, blocks: usize) -> Verdict {
        match self {
            Watch::Size { counts } => {
                let count = &mut counts[bucket_of(blocks)];
                *count = count.saturating_add(1);
                Verdict::Keep
            }
            Watch::Alarm {
                minimum,
                ignore,
                muted,
            } => {
                if blocks < *minimum || *muted {
                    Verdict::Keep
                } else if *ignore > 0 {
                    *ignore -= 1;
                    Verdict::Keep
                } else {
                    Verdict::Fire
                }
            }
        }
    }

    /// A size monitor's count in `bucket`; 0 for an alarm or a bucket that does not exist.
    pub fn count(&self, bucket: usize) -> u16 {
        match self {
            Watch::Size { counts } => counts.get(bucket).copied().unwrap_or(0),
            Watch::Alarm { .. } => 0,
        }
    }
}

impl Monitor {
    /// An inactive monitor, for the host to write into its freshly allocated object.
    pub const fn new(watch: Watch) -> Self {
        Monitor {
            base: ptr::null(),
            next: ptr::null_mut(),
            owner: ptr::null(),
            watch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_memory_is_an_inactive_size_monitor() {
        // SAFETY: every field of Monitor is valid when zero (null pointers, tag 0, counts 0).
        let zeroed: Monitor = unsafe { core::mem::zeroed() };
        assert_eq!(zeroed.watch, Watch::size());
        assert!(zeroed.next.is_null() && zeroed.owner.is_null() && zeroed.base.is_null());
    }

    #[test]
    fn size_counts_by_bucket_and_saturates() {
        let mut w = Watch::size();
        for _ in 0..70_000 {
            assert_eq!(w.observe(3), Verdict::Keep);
        }
        w.observe(1);
        w.observe(usize::MAX);
        assert_eq!(w.count(2), u16::MAX);
        assert_eq!(w.count(0), 1);
        assert_eq!(w.count(15), 1);
        assert_eq!(w.count(16), 0);
        assert_eq!(w.count(usize::MAX), 0);
        w.exit();
        assert_eq!(w.count(2), u16::MAX, "exit keeps the counts");
        w.enter();
        assert_eq!(w, Watch::size(), "enter clears the counts");
    }

    #[test]
    fn alarm_validates_its_arguments() {
        assert_eq!(Watch::alarm(0), Err(Status::MinimumBelowOne));
        assert_eq!(Watch::alarm(-5), Err(Status::MinimumBelowOne));
        assert_eq!(Watch::alarm(isize::MIN), Err(Status::MinimumBelowOne));
        let mut w = Watch::alarm(isize::MAX).unwrap();
        assert_eq!(w.set_ignore(-1), Err(Status::NegativeCount));
        assert_eq!(w.set_ignore(isize::MAX), Ok(()));
        assert_eq!(
            w,
            Watch::Alarm {
                minimum: isize::MAX as usize,
                ignore: isize::MAX as usize,
                muted: false,
            }
        );
    }

    #[test]
    fn alarm_ignores_then_fires_on_large_allocations_only() {
        let mut w = Watch::alarm(4).unwrap();
        w.set_ignore(2).unwrap();
        w.enter();
        assert_eq!(
            w.observe(3),
            Verdict::Keep,
            "below the minimum uses no ignore"
        );
        assert_eq!(w.observe(4), Verdict::Keep);
        assert_eq!(w.observe(usize::MAX), Verdict::Keep);
        assert_eq!(w.observe(3), Verdict::Keep);
        assert_eq!(w.observe(4), Verdict::Fire);
        assert_eq!(w.count(0), 0, "an alarm has no counts");
    }

    #[test]
    fn a_muted_alarm_sees_nothing_and_keeps_its_ignore_count() {
        let mut w = Watch::alarm(1).unwrap();
        w.set_ignore(1).unwrap();
        w.mute(true);
        assert_eq!(w.observe(usize::MAX), Verdict::Keep);
        w.mute(false);
        assert_eq!(w.observe(1), Verdict::Keep, "the ignore count was kept");
        assert_eq!(w.observe(1), Verdict::Fire);
        let mut s = Watch::size();
        s.mute(true);
        s.observe(1);
        assert_eq!(s.count(0), 1, "a size monitor goes on counting");
    }

    #[test]
    fn exit_clears_the_ignore_count() {
        let mut w = Watch::alarm(1).unwrap();
        w.set_ignore(5).unwrap();
        w.exit();
        assert_eq!(w.observe(1), Verdict::Fire);
    }

    #[test]
    fn size_monitor_accepts_ignore_without_effect() {
        let mut w = Watch::size();
        assert_eq!(w.set_ignore(3), Ok(()));
        assert_eq!(w.set_ignore(-3), Err(Status::NegativeCount));
        assert_eq!(w, Watch::size());
    }
}
