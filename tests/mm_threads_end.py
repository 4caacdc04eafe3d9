# A thread that ends with monitors still active: its monitors are exited when it ends (a size
# keeps its counts), and its tally is let go. 100 threads, one after another, each ending with
# an AllocationSize and an AllocationAlarm active: more than a port's pool of tallies holds
# (make test-pool), so each must be let go. Afterwards the main thread counts exactly its own
# allocations, and enters every one of those monitors again.
try:
    import _thread
except ImportError:
    print("SKIP")
    raise SystemExit
import time
from memorymonitor import AllocationAlarm, AllocationSize

BPB = AllocationSize().bytes_per_block
THREADS = 100
sizes = [AllocationSize() for _ in range(THREADS)]
alarms = [AllocationAlarm(minimum_block_count=1000) for _ in range(THREADS)]
returned = [False] * THREADS
errors = []


def work():
    # The same allocations each time it runs: two buffers of 3 and 5 blocks.
    return bytearray(3 * BPB), bytearray(5 * BPB)


def thread(i):
    try:
        sizes[i].__enter__()
        alarms[i].__enter__()
        work()
    except Exception as e:
        errors.append(repr(e))
    returned[i] = True


def ended(m):
    # A monitor is inactive once entering it works; it is left as it was found.
    try:
        m.__enter__()
    except RuntimeError:
        return False
    m.__exit__()
    return True


before = AllocationSize()
with before:
    work()

for i in range(THREADS):
    _thread.start_new_thread(thread, (i,))
    # The thread returns, then ends: wait for both, the monitors' exit being the sign.
    deadline = time.ticks_add(time.ticks_ms(), 3000)
    while not (returned[i] and ended(alarms[i])) and time.ticks_diff(deadline, time.ticks_ms()) > 0:
        time.sleep_ms(1)

print("errors:", errors)
print("all threads returned:", all(returned))
print("every alarm exited by its thread's end:", all(ended(a) for a in alarms))
# The thread's allocations stay in its size monitor, frozen at the thread's end.
print("sizes kept their thread's counts:", all(list(s) == list(before) for s in sizes))

after = AllocationSize()
with after:
    work()
print("the main thread counts exactly its own:", list(after) == list(before))

# Every monitor can be entered again, by this thread, and counts it.
again = True
for s, a in zip(sizes, alarms):
    with s, a:
        work()
    again = again and list(s) == list(before)
print("entered again and counted:", again)
