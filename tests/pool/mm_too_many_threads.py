# Only for a unix build with the tally pool of ports with threads other than unix and rp2
# (CFLAGS_EXTRA=-DMEMORYMONITOR_TALLY_POOL=1, make test-pool). Threads enter a monitor and stay
# in it, one after the other, until one is refused: the pool's size comes from the build, not
# from this test. Those that entered count their own allocations; the refused one gets
# RuntimeError; once they have ended, their tallies are claimed again.
import _thread
import time
import memorymonitor

lock = _thread.allocate_lock()
hold = [True]
entered = []
results = []


def worker(tries):
    mm = memorymonitor.AllocationSize()
    for _ in range(tries):
        try:
            with mm:
                b = bytearray(100)
                with lock:
                    entered.append(1)
                while hold[0]:
                    time.sleep_ms(1)
            result = sum(mm) >= 2
            break
        except RuntimeError as e:
            result = str(e)
            time.sleep_ms(1)
    with lock:
        results.append(result)


def wait_for(condition):
    for _ in range(5000):
        if condition():
            return True
        time.sleep_ms(1)
    return False


# Threads one at a time, each seen in its monitor or refused before the next starts.
started = 0
while not results and started < 64:
    _thread.start_new_thread(worker, (1,))
    started += 1
    wait_for(lambda: len(entered) + len(results) == started)
size = len(entered)
hold[0] = False
wait_for(lambda: len(results) == started)
print("pool of at least 1:", size >= 1)
print("one more refused:", started == size + 1, results.count("too many threads"))
print("all in the pool counted:", results.count(True) == size)

# A thread's end lets its tally go (after its function returns, so each new thread tries again
# until it gets one): as many threads as before are in the pool at once again.
hold[0] = True
results.clear()
entered.clear()
for _ in range(size):
    _thread.start_new_thread(worker, (5000,))
print("claimed again:", wait_for(lambda: len(entered) == size))
hold[0] = False
wait_for(lambda: len(results) == size)
print("and counted:", results.count(True) == size)
