# A model check: a seeded random walk of enters, exits, ignores, allocations of known sizes,
# dropped references, new monitors and gc.collect(), against a plain-Python model of the spec.
# After every step, every reachable AllocationSize's counts, and every alarm outcome, must be
# what the model says.
#   micropython tests/mm_model.py [SEED [STEPS]]
# The walk allocates nothing of its own while monitors watch: it is one function (calling a
# Python function can allocate its frame), with no range(), no new lists and no formatting.
# Raising an exception does allocate (the exception, its message, its traceback) by amounts the
# model cannot know: after a raise, counts must have grown by at least the model's figures and
# are then taken over. Alarms are kept at 8 blocks or more, beyond those allocations.
import gc
import sys
from memorymonitor import AllocationAlarm, AllocationError, AllocationSize

BPB = AllocationSize().bytes_per_block
SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 2026
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
SLOTS = 8
MIN_ALARM = 8


# The size of a monitor object, in blocks: one less than the smallest alarm its creation misses.
def monitor_blocks():
    k = 1
    while True:
        try:
            with AllocationAlarm(minimum_block_count=k + 1):
                AllocationSize()
            return k
        except AllocationError:
            k += 1


def walk(seed, steps):
    # Slots hold monitors; a dropped active monitor becomes a ghost the model keeps running.
    # Per monitor: kind 0 size, 1 alarm. Ghosts are the entries past SLOTS.
    n_all = SLOTS + 32
    objs = [None] * SLOTS
    kind = [0] * n_all
    active = [False] * n_all
    counts = [[0] * 16 for _ in range(SLOTS)]
    minimum = [0] * n_all
    ignore = [0] * n_all
    dirty = [False] * SLOTS
    pending = [0, 0]
    stats = [0, 0, 0, 0]  # allocations, alarms, other exceptions, collections
    monitor = monitor_blocks()
    ghosts = SLOTS
    state = seed % 65537
    step = 0
    while step < steps:
        # ZX81's generator: values stay small ints, so it allocates nothing.
        state = (state * 75 + 74) % 65537
        op = state % 100
        state = (state * 75 + 74) % 65537
        slot = state % SLOTS
        m = objs[slot]
        n_pending = 0
        raised = 0  # 0 none, 1 AllocationError, 2 RuntimeError
        if op < 30:
            # A bytearray: its object of 1 block, then its storage (none for 0 bytes).
            state = (state * 75 + 74) % 65537
            n = state % 12
            state = (state * 75 + 74) % 65537
            if state % 4 == 0:
                n = state % 200
            pending[0] = 1
            pending[1] = n
            n_pending = 2 if n > 0 else 1
            try:
                bytearray(n * BPB)
            except AllocationError:
                raised = 1
        elif op < 45 and m is not None:
            if active[slot]:
                try:
                    m.__enter__()
                    return ("a second __enter__ did not raise", step, slot)
                except RuntimeError:
                    raised = 2
            else:
                m.__enter__()
                active[slot] = True
                if kind[slot] == 0:
                    c = counts[slot]
                    b = 0
                    while b < 16:
                        c[b] = 0
                        b += 1
                    dirty[slot] = False
        elif op < 60 and m is not None:
            m.__exit__()
            active[slot] = False
            ignore[slot] = 0
        elif op < 70 and m is not None and kind[slot] == 1:
            state = (state * 75 + 74) % 65537
            n = state % 4
            if m.ignore(n) is not m:
                return ("ignore() did not return self", step, slot)
            ignore[slot] = n
        elif op < 75 and m is not None and ghosts < n_all:
            # Drop the only reference: the monitor goes on, as a ghost, if it was active.
            kind[ghosts] = kind[slot]
            minimum[ghosts] = minimum[slot]
            ignore[ghosts] = ignore[slot]
            active[ghosts] = active[slot]
            ghosts += 1
            objs[slot] = None
            active[slot] = False
        elif op < 85 and m is None:
            # A new monitor: its creation is an allocation the active monitors see.
            pending[0] = monitor
            n_pending = 1
            state = (state * 75 + 74) % 65537
            kind[slot] = state % 2
            active[slot] = False
            ignore[slot] = 0
            c = counts[slot]
            b = 0
            while b < 16:
                c[b] = 0
                b += 1
            dirty[slot] = False
            if kind[slot] == 0:
                objs[slot] = AllocationSize()
            else:
                state = (state * 75 + 74) % 65537
                minimum[slot] = MIN_ALARM + state % 40
                objs[slot] = AllocationAlarm(minimum_block_count=minimum[slot])
        elif op < 88:
            gc.collect()
            stats[3] += 1

        # The model: each allocation in turn, until one trips an alarm (which raises at once).
        fired = False
        p = 0
        while p < n_pending and not fired:
            blocks = pending[p]
            stats[0] += 1
            b = 0
            while blocks > (1 << b) and b < 15:
                b += 1
            i = 0
            while i < ghosts:
                if active[i]:
                    if kind[i] == 0:
                        if i < SLOTS and counts[i][b] < 65535:
                            counts[i][b] += 1
                    elif blocks >= minimum[i]:
                        if ignore[i] > 0:
                            ignore[i] -= 1
                        else:
                            active[i] = False
                            fired = True
                i += 1
            p += 1
        if fired != (raised == 1):
            return ("alarm outcome differs from the model", step, slot)
        if raised:
            stats[raised] += 1
            # The exception's own allocations were counted by the active size monitors.
            i = 0
            while i < SLOTS:
                if active[i] and kind[i] == 0:
                    dirty[i] = True
                i += 1

        # Compare.
        i = 0
        while i < SLOTS:
            m = objs[i]
            if m is not None and kind[i] == 0:
                c = counts[i]
                b = 0
                while b < 16:
                    got = m[b]
                    if dirty[i]:
                        if got < c[b]:
                            return ("a count fell below the model's", step, i)
                        c[b] = got
                    elif got != c[b]:
                        return ("a count differs from the model's", step, i)
                    b += 1
                dirty[i] = False
            i += 1
        step += 1
    return (None, step, [x > 0 for x in stats])


result = walk(SEED, STEPS)
# Monitors the walk left active would see these last lines' allocations: stop them all first.
print("seed", SEED)
if result[0] is None:
    print("ok:", result[1], "steps agree with the model")
    print("allocations, alarms, other exceptions, collections seen:", result[2])
else:
    print("FAILED:", result)
