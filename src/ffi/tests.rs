//! The ABI against the stand-in host of tests/c/harness.c, or under Miri its Rust twin
//! (`miri_host`). Miri runs every test here but those of the C code itself, with fewer rounds.

use super::*;
use crate::bucket;
use crate::monitor::Watch;
#[cfg(not(miri))]
use crate::monitor::COUNTERS;
use std::sync::{Mutex as StdMutex, MutexGuard};
use std::thread;

#[cfg(not(miri))]
#[link(name = "mm_harness", kind = "static")]
extern "C" {
    fn mm_harness_c_api_tests() -> core::ffi::c_int;
    fn mm_harness_counter(how: core::ffi::c_int, blocks: usize) -> usize;
    fn mm_harness_tally_layout(layout: *mut [usize; 3]);
}

/// C (include/memorymonitor.h, cbindgen's, with MM_COUNTERS written by hand) and Rust agree on
/// the tally's layout, on this CPU's word size (make test runs this on 64 and 32 bits).
#[cfg(not(miri))]
#[test]
fn c_and_rust_agree_on_the_tally() {
    let mut c = [0; 3];
    unsafe { mm_harness_tally_layout(&mut c) };
    let rust = [
        core::mem::size_of::<crate::monitor::Tally>(),
        core::mem::offset_of!(crate::monitor::Tally, threshold),
        COUNTERS,
    ];
    assert_eq!(c, rust, "size, threshold offset, counters");
}

#[cfg_attr(not(miri), link(name = "mm_harness", kind = "static"))]
extern "C" {
    fn mm_harness_take_raised() -> usize;
    fn mm_harness_end_raised() -> usize;
    fn mm_harness_active() -> bool;
    fn memorymonitor_track_allocation(blocks: usize);
}

/// The host's allocation hook: the C hot path (cmodule/track.h), or under Miri its Rust model.
fn track(blocks: usize) {
    // SAFETY: a harness function with no preconditions.
    unsafe { memorymonitor_track_allocation(blocks) }
}

/// Whether the core last told the host that a monitor is active.
fn active() -> bool {
    // SAFETY: a harness function with no preconditions.
    unsafe { mm_harness_active() }
}

// The module's methods, each one operation of `mm_call`, as the shim makes them.

unsafe fn mm_enter(m: *mut Monitor) -> Status {
    // SAFETY: as the caller's.
    unsafe { mm_call(m, Op::Enter as u32, 0) }
}

unsafe fn mm_exit(m: *mut Monitor) {
    // SAFETY: as the caller's.
    assert_eq!(unsafe { mm_call(m, Op::Exit as u32, 0) }, Status::Ok);
}

unsafe fn mm_ignore(m: *mut Monitor, count: isize) -> Status {
    // SAFETY: as the caller's.
    unsafe { mm_call(m, Op::Ignore as u32, count) }
}

unsafe fn mm_alarm_init(m: *mut Monitor, minimum: isize) -> Status {
    // SAFETY: as the caller's.
    unsafe { mm_call(m, Op::Alarm as u32, minimum) }
}

/// `n` rounds, or under Miri (a thousand times slower) a 200th of them.
fn rounds(n: usize) -> usize {
    if cfg!(miri) {
        n / 200
    } else {
        n
    }
}

/// The harness has one active list for the whole process, which a reset empties and whose
/// "anything active" every test that enters a monitor may change: each such test takes this.
static EXCLUSIVE: StdMutex<()> = StdMutex::new(());

fn exclusive() -> MutexGuard<'static, ()> {
    EXCLUSIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// A monitor as a host holds one: at a fixed address, reached only through a raw pointer, like
/// the one the active list keeps (a `&mut` made later would invalidate the list's pointer).
struct Mon(*mut Monitor);

impl Mon {
    fn p(&self) -> *mut Monitor {
        self.0
    }
}

impl Drop for Mon {
    fn drop(&mut self) {
        // Exited first (harmless on an inactive or forgotten monitor), so that a test that fails
        // with it active leaves no freed monitor on the list that other tests share.
        // SAFETY: the box this Mon made, which nothing points to once it is exited.
        unsafe {
            mm_exit(self.0);
            drop(Box::from_raw(self.0));
        }
    }
}

/// A monitor's pointer handed to another thread, as a host's threads share its objects.
#[derive(Clone, Copy)]
struct Shared(*mut Monitor);

// SAFETY: the registry lock orders every access through the pointer.
unsafe impl Send for Shared {}

impl Shared {
    // A method, so that a closure captures the whole `Shared` and not its field alone.
    fn p(self) -> *mut Monitor {
        self.0
    }
}

fn size() -> Mon {
    Mon(Box::into_raw(Box::new(Monitor::new(Watch::size()))))
}

fn alarm(minimum: isize) -> Mon {
    let m = size();
    assert_eq!(unsafe { mm_alarm_init(m.p(), minimum) }, Status::Ok);
    m
}

fn counts(m: &Mon) -> Vec<u16> {
    (0..bucket::BUCKETS)
        .map(|b| unsafe { mm_count(m.p(), b) })
        .collect()
}

#[cfg(not(miri))]
#[test]
fn c_api_tests_pass() {
    let _x = exclusive();
    assert_eq!(
        unsafe { mm_harness_c_api_tests() },
        0,
        "see the failed CHECKs above"
    );
}

#[test]
fn monitors_see_only_the_thread_that_entered_them() {
    let _x = exclusive();
    let mine = size();
    assert_eq!(unsafe { mm_enter(mine.p()) }, Status::Ok);
    thread::spawn(|| {
        let theirs = alarm(1);
        assert_eq!(unsafe { mm_enter(theirs.p()) }, Status::Ok);
        for _ in 0..100 {
            track(5);
        }
        assert_eq!(unsafe { mm_harness_take_raised() }, 5);
        unsafe { mm_exit(theirs.p()) };
    })
    .join()
    .unwrap();
    track(1);
    unsafe { mm_exit(mine.p()) };
    let mut expected = vec![0; 16];
    expected[0] = 1;
    assert_eq!(counts(&mine), expected);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0);
    assert!(!active());
}

/// While a thread builds one of the module's exceptions its alarms are muted: they neither fire
/// nor use up an ignore count, its size monitors still count, and another thread's alarms
/// are not muted.
#[test]
fn muting_mutes_only_the_calling_threads_alarms() {
    let _x = exclusive();
    let a = alarm(1);
    let s = size();
    unsafe {
        mm_ignore(a.p(), 1);
        mm_enter(a.p());
        mm_enter(s.p());
    }
    mm_mute(true);
    thread::spawn(|| {
        let theirs = alarm(1);
        unsafe { mm_enter(theirs.p()) };
        track(2);
        assert_eq!(unsafe { mm_harness_take_raised() }, 2, "not muted");
    })
    .join()
    .unwrap();
    track(3);
    track(4);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0, "muted");
    mm_mute(false);
    track(1);
    assert_eq!(
        unsafe { mm_harness_take_raised() },
        0,
        "the ignore count was kept"
    );
    track(1);
    assert_eq!(unsafe { mm_harness_take_raised() }, 1);
    unsafe {
        mm_exit(s.p());
        mm_exit(a.p());
    }
    assert_eq!(counts(&s)[0..3], [2, 0, 2], "1, 1, 3 and 4 blocks");
}

/// Allocating threads with private monitors race threads that enter and exit one shared
/// monitor. Private counts must be exact and the list must end empty and unbroken.
#[test]
fn threads_racing_on_the_registry() {
    let _x = exclusive();
    let rounds = rounds(20_000);
    let shared_monitor = size();
    let shared = Shared(shared_monitor.p());
    let mut workers = Vec::new();
    for t in 0..4usize {
        workers.push(thread::spawn(move || {
            let private = size();
            let guard = alarm(1 << 20);
            unsafe { mm_ignore(guard.p(), 3) };
            assert_eq!(unsafe { mm_enter(private.p()) }, Status::Ok);
            assert_eq!(unsafe { mm_enter(guard.p()) }, Status::Ok);
            for i in 0..rounds {
                track(1 + (i + t) % 40);
            }
            unsafe { mm_exit(guard.p()) };
            unsafe { mm_exit(private.p()) };
            let mut expected = [0u16; 16];
            for i in 0..rounds {
                let b = bucket::bucket_of(1 + (i + t) % 40);
                expected[b] = expected[b].saturating_add(1);
            }
            assert_eq!(counts(&private), expected.to_vec());
        }));
    }
    for _ in 0..2 {
        workers.push(thread::spawn(move || {
            let m = shared.p();
            for _ in 0..rounds {
                // Either thread may win the enter; both exit. Neither may corrupt the list.
                let s = unsafe { mm_enter(m) };
                assert!(s == Status::Ok || s == Status::AlreadyActive);
                track(2);
                unsafe { mm_exit(m) };
            }
        }));
    }
    for w in workers {
        w.join().unwrap();
    }
    assert!(unsafe { (*host::mm_host_head()).is_null() });
    assert!(!active());
    assert_eq!(unsafe { mm_harness_take_raised() }, 0);
    drop(shared_monitor);
}

#[test]
fn an_alarm_fires_once_and_deactivates_itself() {
    let _x = exclusive();
    let a = alarm(3);
    let b = alarm(3);
    let s = size();
    unsafe {
        mm_ignore(b.p(), 1);
        mm_enter(s.p());
        mm_enter(a.p());
        mm_enter(b.p());
    }
    track(2);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0);
    track(3);
    assert_eq!(unsafe { mm_harness_take_raised() }, 3, "a fires, b ignores");
    track(4);
    assert_eq!(unsafe { mm_harness_take_raised() }, 4, "b fires");
    track(4);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0, "both are stopped");
    assert_eq!(
        unsafe { mm_enter(a.p()) },
        Status::Ok,
        "a stopped alarm can be entered again"
    );
    unsafe {
        mm_exit(a.p());
        mm_exit(b.p());
        mm_exit(s.p());
    }
    assert_eq!(
        counts(&s)[1..4],
        [1, 3, 0],
        "2 blocks in bucket 1; 3, 4 and 4 in bucket 2"
    );
    assert!(!active());
}

#[test]
fn reset_forgets_every_monitor() {
    let _x = exclusive();
    let a = size();
    let b = alarm(1);
    unsafe {
        mm_enter(a.p());
        mm_enter(b.p());
    }
    memorymonitor_reset();
    assert!(!active());
    track(1);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0);
    assert_eq!(counts(&a), vec![0; 16]);
}

#[test]
fn an_unknown_op_does_nothing_and_says_so() {
    let _x = exclusive();
    let a = alarm(3);
    for op in [Op::Reset as u32 + 1, 255, u32::MAX] {
        // SAFETY: a is a valid monitor; an unknown op does not touch it anyway.
        assert_eq!(unsafe { mm_call(a.p(), op, 1) }, Status::UnknownOp);
        assert_eq!(
            unsafe { mm_call(ptr::null_mut(), op, 1) },
            Status::UnknownOp
        );
    }
    // SAFETY: a is valid; nothing else holds it.
    assert!(unsafe { (*a.p()).tally.is_null() }, "nothing was entered");
    unsafe { assert_eq!(mm_enter(a.p()), Status::Ok) };
    track(2);
    assert_eq!(
        unsafe { mm_harness_take_raised() },
        0,
        "the minimum is still 3"
    );
    unsafe { mm_exit(a.p()) };
}

/// A model of the spec, for the random walk below: what each monitor should hold.
#[derive(Clone)]
struct Model {
    alarm: bool,
    active: bool,
    counts: [u16; 16],
    minimum: usize,
    ignore: usize,
}

/// xorshift64*: deterministic, so any failing seed replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Block counts that favour the edges: small, powers of two and their neighbours, huge.
    fn blocks(&mut self) -> usize {
        match self.below(4) {
            0 => self.below(20) as usize,
            1 => (1usize << self.below(usize::BITS as u64))
                .wrapping_add(self.below(3) as usize)
                .wrapping_sub(1)
                .min(usize::MAX / 2 + 1),
            2 => usize::MAX / 2 + 1 - self.below(3) as usize,
            _ => self.below(70_000) as usize,
        }
    }
}

/// Registry operations in arbitrary order, arbitrary block counts (0, and up to half the address
/// space: the most blocks a heap can have), ignore counts and saturation, against the model: a
/// fixed budget of steps over several seeds.
#[test]
fn random_walk_agrees_with_the_model() {
    let _x = exclusive();
    // Under Miri, which checks the memory accesses and not the arithmetic, two seeds are enough.
    let seeds = [1u64, 2026, 0x5eed, 0xdead_beef, 7_777_777];
    let seeds = if cfg!(miri) { &seeds[..2] } else { &seeds[..] };
    for &seed in seeds {
        let mut rng = Rng(seed);
        let mut monitors: Vec<Mon> = Vec::new();
        let mut model: Vec<Model> = Vec::new();
        for i in 0..8 {
            let alarm = i % 2 == 1;
            let minimum = 1 + rng.below(1 << 17) as usize;
            monitors.push(if alarm {
                self::alarm(minimum as isize)
            } else {
                size()
            });
            model.push(Model {
                alarm,
                active: false,
                counts: [0; 16],
                minimum,
                ignore: 0,
            });
        }
        for step in 0..rounds(40_000) {
            let i = rng.below(8) as usize;
            let m: *mut Monitor = monitors[i].p();
            if step % 100 == 99 && !model.iter().any(|s| s.active) {
                // Counters just before a half or a full turn, for the monitors entered next:
                // counts stay exact across a wrap.
                let t = unsafe { &*host::mm_host_tally() };
                for c in t.counts.iter() {
                    let turn = (rng.below(2) as usize) << (usize::BITS - 1);
                    let v = turn.wrapping_sub(rng.below(50) as usize);
                    c.store(v, core::sync::atomic::Ordering::Relaxed);
                }
            }
            match rng.below(10) {
                0 => {
                    let expect = if model[i].active {
                        Status::AlreadyActive
                    } else {
                        Status::Ok
                    };
                    assert_eq!(unsafe { mm_enter(m) }, expect, "seed {seed} step {step}");
                    if !model[i].active && !model[i].alarm {
                        model[i].counts = [0; 16];
                    }
                    model[i].active = true;
                }
                1 => {
                    unsafe { mm_exit(m) };
                    model[i].active = false;
                    model[i].ignore = 0;
                }
                2 => {
                    let n = rng.below(5) as isize - 1;
                    let expect = if n < 0 {
                        Status::NegativeCount
                    } else {
                        Status::Ok
                    };
                    assert_eq!(
                        unsafe { mm_ignore(m, n) },
                        expect,
                        "seed {seed} step {step}"
                    );
                    if n >= 0 && model[i].alarm {
                        model[i].ignore = n as usize;
                    }
                }
                3 if rng.below(200) == 0 => {
                    // A soft reset forgets every monitor, and the heap they live in is swept:
                    // the host makes new ones afterwards, as here.
                    memorymonitor_reset();
                    for (k, s) in model.iter_mut().enumerate() {
                        monitors[k] = if s.alarm {
                            self::alarm(s.minimum as isize)
                        } else {
                            size()
                        };
                        s.active = false;
                        s.counts = [0; 16];
                        s.ignore = 0;
                    }
                }
                _ => {
                    let blocks = rng.blocks();
                    let mut fired = false;
                    for s in model.iter_mut().filter(|s| s.active && blocks > 0) {
                        if !s.alarm {
                            let b = bucket::bucket_of(blocks);
                            s.counts[b] = s.counts[b].saturating_add(1);
                        } else if blocks >= s.minimum {
                            if s.ignore > 0 {
                                s.ignore -= 1;
                            } else {
                                s.active = false;
                                fired = true;
                            }
                        }
                    }
                    track(blocks);
                    let raised = unsafe { mm_harness_take_raised() };
                    assert_eq!(
                        raised,
                        if fired { blocks } else { 0 },
                        "seed {seed} step {step}"
                    );
                }
            }
            for (k, s) in model.iter().enumerate() {
                if !s.alarm {
                    assert_eq!(
                        counts(&monitors[k]),
                        s.counts.to_vec(),
                        "seed {seed} step {step}"
                    );
                }
            }
            let any = model.iter().any(|s| s.active);
            assert_eq!(active(), any);
            let threshold = model
                .iter()
                .filter(|s| s.active && s.alarm)
                .map(|s| s.minimum)
                .min()
                .unwrap_or(usize::MAX);
            let tally = unsafe { &*host::mm_host_tally() };
            assert!(
                tally.threshold.load(core::sync::atomic::Ordering::Relaxed) <= threshold,
                "seed {seed} step {step}: the threshold is never above the smallest minimum"
            );
        }
        memorymonitor_reset();
    }
}

/// The C bucket functions of cmodule/track.h (both of them) agree with Rust's on every boundary.
#[cfg(not(miri))]
#[test]
fn c_and_rust_buckets_agree() {
    // Their domain: block counts of real allocations, at least 1 and at most half the address
    // space (a block is at least 2 bytes).
    let max = usize::MAX / 2 + 1;
    let mut edges = vec![1, 2, 3, max, max - 1, max / 2, max / 2 + 1];
    for b in 0..usize::BITS - 1 {
        let p = 1usize << b;
        edges.extend([p - 1, p, p + 1]);
    }
    let mut table_ends = usize::MAX;
    for n in edges
        .into_iter()
        .chain(1..5000)
        .filter(|&n| n > 0 && n <= max)
    {
        // By leading zeros, by shifting, by the table (which covers a few blocks only).
        for how in [0, 1, 2] {
            // SAFETY: a harness function with no preconditions.
            let counter = unsafe { mm_harness_counter(how, n) };
            if how == 2 && counter == usize::MAX {
                assert!(n > 1, "the table covers one block");
                table_ends = table_ends.min(n);
                continue;
            }
            assert!(counter < COUNTERS, "blocks = {n}");
            assert_eq!(
                counter.min(bucket::BUCKETS - 1),
                bucket::bucket_of(n),
                "blocks = {n}, how = {how}"
            );
        }
    }
    assert!(
        bucket::bucket_of(table_ends - 1) > 1,
        "the table covers more than the first two buckets"
    );
}

/// A monitor entered just before a counter's half turn or full turn counts exactly below 65535
/// and saturates above it.
#[test]
fn counts_stay_exact_across_a_counter_wrap() {
    let _x = exclusive();
    let half = 1usize << (usize::BITS - 1);
    let t = unsafe { &*host::mm_host_tally() };
    for start in [half - 3, 0usize.wrapping_sub(3)] {
        // Under Miri only the short run, which still crosses the turn.
        for (n, expected) in [
            (10usize, 10u16),
            (65_534, 65_534),
            (65_535, 65_535),
            (70_000, 65_535),
        ]
        .into_iter()
        .take(if cfg!(miri) { 1 } else { 4 })
        {
            t.counts[3].store(
                start.wrapping_sub(n / 2),
                core::sync::atomic::Ordering::Relaxed,
            );
            let m = size();
            assert_eq!(unsafe { mm_enter(m.p()) }, Status::Ok);
            for _ in 0..n {
                track(7);
            }
            assert_eq!(counts(&m)[3], expected, "start {start:#x} n {n}");
            unsafe { mm_exit(m.p()) };
            assert_eq!(counts(&m)[3], expected, "frozen: start {start:#x} n {n}");
        }
    }
}

/// A thread that ends with monitors active: they are exited (a size monitor keeps its counts),
/// so nothing points into its thread-local tally, and they can be entered again.
#[test]
fn a_thread_that_ends_exits_its_monitors() {
    let _x = exclusive();
    let s = size();
    // Armed for any allocation when the thread ends, which must not raise.
    let a = alarm(1);
    let (sp, ap) = (Shared(s.p()), Shared(a.p()));
    thread::spawn(move || {
        assert_eq!(unsafe { mm_ignore(ap.p(), 2) }, Status::Ok);
        assert_eq!(unsafe { mm_enter(sp.p()) }, Status::Ok);
        assert_eq!(unsafe { mm_enter(ap.p()) }, Status::Ok);
        track(2);
        track(2);
        assert_eq!(unsafe { mm_harness_take_raised() }, 0, "both ignored");
    })
    .join()
    .unwrap();
    assert_eq!(
        unsafe { mm_harness_end_raised() },
        0,
        "a thread's end raised"
    );
    assert!(!active());
    assert!(unsafe { (*host::mm_host_head()).is_null() });
    assert_eq!(counts(&s)[1], 2);
    assert_eq!(unsafe { mm_enter(a.p()) }, Status::Ok, "no longer active");
    unsafe { mm_exit(a.p()) };
}

/// The threshold is the smallest minimum of the thread's active alarms, and goes back up when
/// they leave (after one slow path), also when another thread exits them.
#[test]
fn the_threshold_follows_the_active_alarms() {
    let _x = exclusive();
    let t = unsafe { &*host::mm_host_tally() };
    let th = || t.threshold.load(core::sync::atomic::Ordering::Relaxed);
    let a = alarm(8);
    let b = alarm(3);
    let s = size();
    unsafe { mm_enter(s.p()) };
    track(1);
    assert_eq!(th(), usize::MAX, "a size monitor needs no slow path");
    unsafe { mm_enter(a.p()) };
    assert_eq!(th(), 0, "too low until the next slow path");
    track(1);
    assert_eq!(th(), 8);
    unsafe { mm_enter(b.p()) };
    track(1);
    assert_eq!(th(), 3);
    let bp = Shared(b.p());
    thread::spawn(move || unsafe { mm_exit(bp.p()) })
        .join()
        .unwrap();
    assert_eq!(
        th(),
        3,
        "exited by another thread: too low until the next slow path"
    );
    track(2);
    assert_eq!(th(), 3, "an allocation below it takes no slow path");
    track(3);
    assert_eq!(th(), 8, "recomputed by the slow path");
    track(9);
    assert_eq!(unsafe { mm_harness_take_raised() }, 9);
    assert_eq!(th(), usize::MAX, "a fired alarm leaves");
    unsafe { mm_exit(s.p()) };
    assert!(!active());
}

/// An alarm that fires inside an allocation whose caller cannot take an exception (the host's
/// hold depth above 0) raises nothing there: it stays active, holding its error, and raises it
/// at the thread's next allocation outside a hold, whatever its size, or as it exits, once. Its
/// ignore count is used up as before, and the thread's size monitors count every allocation
/// once, the held ones too.
#[test]
fn an_alarm_that_fires_where_its_thread_cannot_raise_holds_its_error() {
    use core::sync::atomic::Ordering::Relaxed;
    let _x = exclusive();
    let a = alarm(4);
    let s = size();
    // SAFETY: this thread's tally, valid while the thread lives.
    let t = unsafe { &*host::mm_host_tally() };
    unsafe {
        assert_eq!(mm_ignore(a.p(), 1), Status::Ok);
        assert_eq!(mm_enter(a.p()), Status::Ok);
        assert_eq!(mm_enter(s.p()), Status::Ok);
    }
    t.held.store(1, Relaxed);
    track(5);
    track(6);
    track(1);
    track(9);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0, "held");
    t.held.store(0, Relaxed);
    track(1);
    assert_eq!(
        unsafe { mm_harness_take_raised() },
        6,
        "raised at the next allocation, for the one it fired on (the first was ignored)"
    );
    track(9);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0, "and stopped");
    let mut expected = vec![0u16; bucket::BUCKETS];
    expected[0] = 2;
    expected[3] = 2;
    expected[4] = 2;
    assert_eq!(counts(&s), expected, "every allocation counted once");
    assert!(active(), "the size is still active");

    // Held, then exited before any allocation outside: the exit raises it, once.
    unsafe { assert_eq!(mm_enter(a.p()), Status::Ok) };
    t.held.store(2, Relaxed);
    track(4);
    t.held.store(0, Relaxed);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0);
    unsafe { mm_exit(a.p()) };
    assert_eq!(unsafe { mm_harness_take_raised() }, 4, "raised as it exits");
    unsafe { mm_exit(a.p()) };
    track(4);
    assert_eq!(unsafe { mm_harness_take_raised() }, 0, "once");
    unsafe { assert_eq!(mm_enter(a.p()), Status::Ok) };
    track(3);
    track(4);
    assert_eq!(
        unsafe { mm_harness_take_raised() },
        4,
        "re-entered, it fires at its own minimum again"
    );
    unsafe { mm_exit(s.p()) };
}
