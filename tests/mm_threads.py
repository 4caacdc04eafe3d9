# Threads without a GIL: allocating threads with private monitors race threads that enter and
# exit a shared monitor. A monitor sees the allocations of the thread that entered it, so the
# private counts are exact. Without a GIL, shared Python objects (the globals dict, lists) are
# only touched under a lock, and no global is created once the threads run.
try:
    import _thread
except ImportError:
    print("SKIP")
    raise SystemExit
import sys
import time
from memorymonitor import AllocationAlarm, AllocationError, AllocationSize

BPB = AllocationSize().bytes_per_block
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000  # more for a longer stress run
lock = _thread.allocate_lock()
done = []
errors = []
shared = AllocationSize()
BUCKET = {2: 1, 4: 2, 8: 3, 16: 4}


def allocator(n_blocks):
    try:
        mine = AllocationSize()
        guard = AllocationAlarm(minimum_block_count=n_blocks)
        with mine:
            for i in range(ROUNDS):
                bytearray(n_blocks * BPB)
        caught = 0
        for i in range(ROUNDS):
            try:
                with guard.ignore(i % 4):
                    for _ in range(3):
                        bytearray(n_blocks * BPB)
            except AllocationError:
                caught += 1
        expect = min(ROUNDS, 65535)  # counts saturate
        ok = mine[0] == expect and mine[BUCKET[n_blocks]] == expect and sum(mine) == 2 * expect
        with lock:
            done.append((n_blocks, ok, caught))
    except Exception as e:
        with lock:
            errors.append(repr(e))
            done.append(None)


def enter_exit():
    try:
        for i in range(ROUNDS):
            try:
                shared.__enter__()
            except RuntimeError:
                pass
            bytearray(2 * BPB)
            shared.__exit__()
        with lock:
            done.append("shared")
    except Exception as e:
        with lock:
            errors.append(repr(e))
            done.append(None)


def main():
    # Sizes of 2, 4, 8 and 16 blocks: each the last of its bucket.
    for n in (2, 4, 8, 16):
        _thread.start_new_thread(allocator, (n,))
    for _ in range(2):
        _thread.start_new_thread(enter_exit, ())
    deadline = time.ticks_add(time.ticks_ms(), 600000)
    while time.ticks_diff(deadline, time.ticks_ms()) > 0:
        with lock:
            if len(done) == 6:
                break
        time.sleep_ms(10)
    with lock:
        print("finished:", len(done), "errors:", errors)
        for r in sorted(d for d in done if isinstance(d, tuple)):
            print(r)
        print(done.count("shared"), "enter/exit threads")


main()
