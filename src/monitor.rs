//! One monitor's state, one thread's tally, and what an allocation does to them. No pointers, no
//! locks: the registry in `ffi` decides which monitors belong to which tally, this module decides
//! what each one does.
//!
//! Counting does not visit monitors. Each thread keeps one [`Tally`]: a running count of its
//! allocations per bucket, which every allocation of that thread increments while any monitor is
//! active anywhere. An `AllocationSize` records the tally at `__enter__` and reads the difference
//! (frozen into its own slots at `__exit__`). So the hot path is the same for one monitor or
//! fifty: a bucket, an increment, one compare against the smallest `minimum_block_count` of the
//! thread's active alarms.

use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

#[cfg(test)]
use crate::bucket::bucket_of;
use crate::bucket::BUCKETS;

/// How many counters a tally has. On 64-bit CPUs, one per bit length of a block count, so that
/// the hot path indexes them by the leading-zeros count alone, without capping it at the last
/// bucket; the last bucket is then the sum of the counters from its own on. On 32-bit CPUs, one
/// per bucket: the clamp at half turns (see `Tally::counts`) keeps a single counter's
/// difference exact, not a sum's.
pub const COUNTERS: usize = if usize::BITS > 32 {
    usize::BITS as usize
} else {
    BUCKETS
};

/// The largest count a monitor reports: the spec's counters are 16 bits wide, and saturate.
const SATURATED: usize = u16::MAX as usize;

/// Why a call was refused. The C shim turns each one into a Python exception.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok = 0,
    /// `__enter__` on a monitor that is already active.
    AlreadyActive = 1,
    /// `minimum_block_count` below 1.
    MinimumBelowOne = 2,
    /// `ignore()` with a count below 0.
    NegativeCount = 3,
    /// The host has no tally left for another thread (a port with a fixed pool of them).
    NoTally = 4,
    /// `mm_call` with an `op` that is none of the `MM_OP_T_*` constants: nothing was done.
    UnknownOp = 5,
}

/// What a watch's `visit` returns for an alarm that fires, and the slow path's mark for a monitor
/// that leaves the active list: below every minimum a monitor can want.
pub(crate) const LEAVES: usize = 0;

/// One thread's running allocation counts, and what its alarms need of an allocation.
///
/// All zeroes is a valid tally (a host may put one in zeroed thread-local or static storage).
/// Only the owning thread writes `counts`, with plain (relaxed) loads and stores:
/// Cortex-M0 has no atomic read-modify-write, and none is needed with a single writer. Other
/// threads read them under the registry lock, when they read or freeze a monitor of this thread.
#[repr(C)]
pub struct Tally {
    /// Allocations per bucket, wrapping. On 32-bit CPUs a counter can wrap within a monitor's
    /// life, so every 2**31 increments (when the low 31 bits become 0) the allocation takes the
    /// slow path, which clamps every size monitor of the thread (`mm_track_slow`): between
    /// two such points a difference grows by 2**31 at most, so it stays below a full turn and
    /// wrapping differences stay exact. On 64-bit CPUs that is every 2**63 increments: never.
    pub counts: [AtomicUsize; COUNTERS],
    /// Allocations of this many blocks or more take the slow path: the smallest
    /// `minimum_block_count` of the thread's active alarms, all ones (`SIZE_MAX`) when it has
    /// none. A value that is too low (0 in a zeroed tally, or left by an exit or a soft reset)
    /// only costs one slow path, which recomputes it. It is never too high: only the owning
    /// thread enters its alarms, and lowers it as it does. All ones also mutes the thread's
    /// alarms while the host builds an exception (`mm_mute`): no allocation reaches it.
    pub threshold: AtomicUsize,
    /// Above 0 while the thread is inside an allocation whose caller takes a failure as a null
    /// pointer and cannot take an exception (MicroPython's `m_*_maybe`, which name interning
    /// calls under its lock): the host counts how deep. An alarm that fires there holds its
    /// `AllocationError` (in the alarm's `held`) until the thread's next allocation outside, or
    /// the alarm's exit. Only the owning thread writes it.
    pub held: AtomicUsize,
}

// The layout cmodule/track.h asserts too, so that C and Rust agree on it: the counters, then
// the threshold and the hold depth, all words.
const _: () =
    assert!(core::mem::size_of::<Tally>() == (COUNTERS + 2) * core::mem::size_of::<usize>());
const _: () =
    assert!(core::mem::offset_of!(Tally, threshold) == COUNTERS * core::mem::size_of::<usize>());

impl Tally {
    #[cfg(test)]
    pub const fn zeroed() -> Self {
        #[allow(clippy::declare_interior_mutable_const)]
        const ZERO: AtomicUsize = AtomicUsize::new(0);
        Tally {
            counts: [ZERO; COUNTERS],
            threshold: AtomicUsize::new(0),
            held: AtomicUsize::new(0),
        }
    }

    /// The model of the hot path (`cmodule/track.h`) for the tests: counts an allocation of
    /// `blocks` (at least 1) blocks, and says whether it needs the slow path. It counts the last
    /// bucket in its first counter; the C path, on 64-bit CPUs, in the counter of the
    /// allocation's bit length. Either way the bucket reads the same sum.
    #[cfg(test)]
    pub fn count(&self, blocks: usize) -> bool {
        // The mask changes nothing (a bucket is below 16) but spares a bounds check.
        let counter = &self.counts[bucket_of(blocks) & (BUCKETS - 1)];
        let c = counter.load(Relaxed).wrapping_add(1);
        counter.store(c, Relaxed);
        blocks >= self.threshold.load(Relaxed) || half_turn(c)
    }

    /// The running count of `bucket` (below `BUCKETS`): its counter, or for the last bucket
    /// the wrapping sum of the counters from its own on.
    fn now(&self, bucket: usize) -> usize {
        let from = bucket & (BUCKETS - 1);
        let to = if from == BUCKETS - 1 {
            COUNTERS
        } else {
            from + 1
        };
        self.counts[from..to]
            .iter()
            .fold(0, |sum, c| sum.wrapping_add(c.load(Relaxed)))
    }

    /// The allocations in `bucket` since `snapshot` was taken, 65535 at most.
    fn since(&self, bucket: usize, snapshot: usize) -> usize {
        difference(self.now(bucket), snapshot)
    }
}

/// How far a running count `now` is past `snapshot`, 65535 at most.
fn difference(now: usize, snapshot: usize) -> usize {
    now.wrapping_sub(snapshot).min(SATURATED)
}

/// Whether a counter's value `c` has all but its top bit clear: the point, twice per turn,
/// where differences must be checked before they could become ambiguous (the hot path's check).
#[cfg(test)]
const fn half_turn(c: usize) -> bool {
    c << 1 == 0
}

/// What a monitor does: count allocations by size, or raise on a large one.
#[repr(C, u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watch {
    /// While active: the thread's tally at `__enter__`, moved up by the slow path's clamping.
    /// While inactive: the counts, frozen at `__exit__`, 65535 at most.
    Size { slots: [usize; BUCKETS] },
    /// Fires on an allocation of `minimum` blocks or more, after letting `ignore` of them pass.
    /// `held` is the block count of an allocation it fired on where its thread could not take
    /// an exception (the tally's `held`), 0 if none: it raises for that one at the first point
    /// that can take it.
    Alarm {
        minimum: usize,
        ignore: usize,
        held: usize,
    },
}

/// How a size monitor's slots follow its thread's tally (`Watch::rebase`).
#[derive(Clone, Copy)]
enum Rebase {
    /// Record where the tally stands (`__enter__`).
    Enter,
    /// Move the record up to 65535 behind the tally, where it was further behind.
    Clamp,
    /// Keep the differences, 65535 at most, in place of the record (`__exit__`).
    Freeze,
}

/// A monitor as the host allocates it: inside its own object, at offset 0. All zeroes is an
/// inactive size monitor with no counts (the size variant is 0), so a host makes one by
/// zeroing memory.
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
    /// The tally of the thread that entered this monitor, whose allocations it sees; null while
    /// inactive, non-null while on the active list. A soft reset (`MM_OP_T_RESET`) forgets the
    /// list without touching its monitors, which are not used again.
    pub tally: *mut Tally,
    pub watch: Watch,
}

impl Watch {
    pub const fn size() -> Self {
        Watch::Size {
            slots: [0; BUCKETS],
        }
    }

    pub fn alarm(minimum: isize) -> Result<Self, Status> {
        if minimum < 1 {
            return Err(Status::MinimumBelowOne);
        }
        Ok(Watch::Alarm {
            minimum: minimum as usize,
            ignore: 0,
            held: 0,
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

    /// `__enter__` for the thread of `tally`: a size monitor's counts start again from zero, by
    /// recording where the tally stands. An alarm keeps the ignore count set before it.
    pub fn enter(&mut self, tally: &Tally) {
        self.rebase(tally, Rebase::Enter);
    }

    /// `__exit__`: a size monitor that was active on `tally` keeps its counts, frozen; an alarm's
    /// ignore count goes back to zero, and it lets go of an error it held. Returns the block
    /// count of that error (0 if none), which the caller raises.
    pub fn exit(&mut self, tally: Option<&Tally>) -> usize {
        match (self, tally) {
            (w @ Watch::Size { .. }, Some(t)) => w.rebase(t, Rebase::Freeze),
            (Watch::Alarm { ignore, held, .. }, _) => {
                *ignore = 0;
                return core::mem::take(held);
            }
            _ => {}
        }
        0
    }

    /// The one loop over a size monitor's slots, for each of the ways they follow the tally (a
    /// single copy of it in the firmware).
    #[inline(never)]
    fn rebase(&mut self, tally: &Tally, how: Rebase) {
        if let Watch::Size { slots } = self {
            for (b, slot) in slots.iter_mut().enumerate() {
                let now = tally.now(b);
                let since = difference(now, *slot);
                *slot = match how {
                    Rebase::Enter => now,
                    Rebase::Clamp => now.wrapping_sub(since),
                    Rebase::Freeze => since,
                };
            }
        }
    }

    /// The slow path's visit to an active monitor of the thread of `tally`, for an allocation
    /// of `seen` blocks (0 where no alarm is to see it: a half turn, or the alarms muted). A size
    /// monitor moves its record up to 65535 behind the tally where it was further behind, so
    /// that what it reports stays the same and its differences stay below a full turn of the
    /// counters for another half turn at least. An alarm the allocation trips uses up one
    /// ignore, or fires. Returns `LEAVES` when it fires, else the smallest allocation the monitor
    /// wants the slow path for: its minimum, 1 while it holds an error (any allocation may be the
    /// point to raise it), or all ones (`SIZE_MAX`) for a size monitor.
    #[inline(always)]
    pub fn visit(&mut self, tally: &Tally, seen: usize) -> usize {
        if let Watch::Alarm {
            minimum,
            ignore,
            held,
        } = self
        {
            if *held != 0 {
                return if seen != 0 { LEAVES } else { 1 };
            }
            if seen >= *minimum {
                if *ignore == 0 {
                    return LEAVES;
                }
                *ignore -= 1;
            }
            return *minimum;
        }
        self.rebase(tally, Rebase::Clamp);
        usize::MAX
    }

    /// An alarm that `visit` said fires, on an allocation of `blocks` blocks by a thread that
    /// can take an exception there or not (`held`). Returns the block count to raise
    /// `AllocationError` for (the first allocation it fired on), after which the caller stops
    /// the alarm; or, where the thread cannot take it, 0: the alarm stays active and holds the
    /// error, and `visit` fires again at the thread's next allocation, held or not.
    pub fn fire(&mut self, blocks: usize, held_here: bool) -> usize {
        if let Watch::Alarm { held, .. } = self {
            if *held == 0 {
                *held = blocks;
            }
            if held_here {
                return 0;
            }
            return core::mem::take(held);
        }
        blocks
    }

    /// A size monitor's count in `bucket`, read from `tally` while active (`Some`) or from the
    /// frozen counts; 0 for an alarm or a bucket that does not exist.
    pub fn count(&self, tally: Option<&Tally>, bucket: usize) -> u16 {
        match self {
            Watch::Size { slots } if bucket < BUCKETS => {
                let slot = slots[bucket & (BUCKETS - 1)];
                match tally {
                    Some(t) => t.since(bucket, slot) as u16,
                    None => slot as u16,
                }
            }
            _ => 0,
        }
    }
}

impl Monitor {
    /// An inactive monitor, for the host to write into its freshly allocated object.
    pub const fn new(watch: Watch) -> Self {
        Monitor {
            base: ptr::null(),
            next: ptr::null_mut(),
            tally: ptr::null_mut(),
            watch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One allocation on `t`, and the slow path's clamp as the registry does it.
    fn alloc(t: &Tally, watches: &mut [&mut Watch], blocks: usize) {
        if t.count(blocks) {
            for w in watches.iter_mut() {
                w.visit(t, 0);
            }
        }
    }

    fn counts(w: &Watch, t: Option<&Tally>) -> Vec<u16> {
        (0..BUCKETS).map(|b| w.count(t, b)).collect()
    }

    #[test]
    fn zeroed_memory_is_an_inactive_size_monitor() {
        // SAFETY: every field of Monitor is valid when zero (null pointers, tag 0, counts 0).
        let zeroed: Monitor = unsafe { core::mem::zeroed() };
        assert_eq!(zeroed.watch, Watch::size());
        assert!(zeroed.next.is_null() && zeroed.tally.is_null() && zeroed.base.is_null());
        // SAFETY: every field of Tally is valid when zero.
        let t: Tally = unsafe { core::mem::zeroed() };
        assert!(
            t.count(1),
            "a zeroed tally's threshold sends the first allocation to the slow path"
        );
    }

    #[test]
    #[cfg_attr(miri, ignore = "safe arithmetic in long loops: run without Miri")]
    fn size_counts_by_bucket_and_saturates() {
        let t = Tally::zeroed();
        t.threshold.store(usize::MAX, Relaxed);
        let mut w = Watch::size();
        w.enter(&t);
        for _ in 0..70_000 {
            alloc(&t, &mut [&mut w], 3);
        }
        alloc(&t, &mut [&mut w], 1);
        alloc(&t, &mut [&mut w], usize::MAX);
        assert_eq!(w.count(Some(&t), 2), u16::MAX);
        assert_eq!(w.count(Some(&t), 0), 1);
        assert_eq!(w.count(Some(&t), 15), 1);
        assert_eq!(w.count(Some(&t), 16), 0);
        assert_eq!(w.count(Some(&t), usize::MAX), 0);
        w.exit(Some(&t));
        alloc(&t, &mut [], 1);
        assert_eq!(w.count(None, 2), u16::MAX, "exit keeps the counts");
        assert_eq!(w.count(None, 0), 1, "and freezes them");
        w.enter(&t);
        assert_eq!(
            counts(&w, Some(&t)),
            vec![0; BUCKETS],
            "enter clears the counts"
        );
    }

    /// Tallies started just before a counter's half turns and full turn: a monitor's counts stay
    /// exact below 65535 and saturated above, across any number of wraps.
    #[test]
    #[cfg_attr(miri, ignore = "safe arithmetic in long loops: run without Miri")]
    fn counts_stay_exact_across_counter_wraps() {
        let half = 1usize << (usize::BITS - 1);
        for start in [
            half - 5,
            half.wrapping_mul(2).wrapping_sub(5),
            usize::MAX - 70_000,
        ] {
            for lead in [0usize, 3, 10, 65_534, 65_535, 65_536] {
                let t = Tally::zeroed();
                t.threshold.store(usize::MAX, Relaxed);
                t.counts[4].store(start.wrapping_sub(lead), Relaxed);
                let mut w = Watch::size();
                w.enter(&t);
                // The monitor's counter starts `lead` before `start`, which is near a half turn.
                for _ in 0..lead + 20 {
                    alloc(&t, &mut [&mut w], 9);
                }
                let expected = (lead + 20).min(SATURATED) as u16;
                assert_eq!(
                    w.count(Some(&t), 4),
                    expected,
                    "start {start:#x} lead {lead}"
                );
                w.exit(Some(&t));
                assert_eq!(w.count(None, 4), expected, "start {start:#x} lead {lead}");
            }
        }
    }

    /// A monitor clamped at 65535 or more at a half turn stays saturated even when the wrapping
    /// difference later looks small: the case a missing check would get wrong.
    #[test]
    fn a_full_turn_later_a_saturated_count_stays_saturated() {
        let t = Tally::zeroed();
        let mut w = Watch::size();
        w.enter(&t);
        // Simulate the tally moving on by a full turn minus 10, with a half turn on the way.
        let half = 1usize << (usize::BITS - 1);
        t.counts[0].store(half, Relaxed);
        assert_eq!(w.visit(&t, 0), usize::MAX);
        t.counts[0].store(10, Relaxed);
        assert_eq!(w.count(Some(&t), 0), u16::MAX);
        w.exit(Some(&t));
        assert_eq!(w.count(None, 0), u16::MAX);
        // Re-entering starts again from zero.
        w.enter(&t);
        assert_eq!(w.count(Some(&t), 0), 0);
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
                held: 0
            }
        );
    }

    #[test]
    fn alarm_ignores_then_fires_on_large_allocations_only() {
        let t = Tally::zeroed();
        let mut w = Watch::alarm(4).unwrap();
        w.set_ignore(2).unwrap();
        w.enter(&t);
        assert_eq!(w.visit(&t, 0), 4, "a half turn uses no ignore");
        assert_eq!(w.visit(&t, 3), 4, "below the minimum uses no ignore");
        assert_eq!(w.visit(&t, 4), 4);
        assert_eq!(w.visit(&t, usize::MAX), 4);
        assert_eq!(w.visit(&t, 3), 4);
        assert_eq!(w.visit(&t, 4), 0, "fires");
        assert_eq!(w.count(Some(&t), 0), 0, "an alarm has no counts");
    }

    #[test]
    fn exit_clears_the_ignore_count() {
        let t = Tally::zeroed();
        let mut w = Watch::alarm(1).unwrap();
        w.set_ignore(5).unwrap();
        w.exit(None);
        assert_eq!(w.visit(&t, 1), 0);
    }

    #[test]
    fn size_monitor_accepts_ignore_without_effect() {
        let mut w = Watch::size();
        assert_eq!(w.set_ignore(3), Ok(()));
        assert_eq!(w.set_ignore(-3), Err(Status::NegativeCount));
        assert_eq!(w, Watch::size());
        let t = Tally::zeroed();
        assert_eq!(w.visit(&t, usize::MAX), usize::MAX);
    }
}
