# Only for a unix build with the tally pool of ports with threads other than unix and rp2
# (CFLAGS_EXTRA=-DMEMORYMONITOR_TALLY_POOL=1, make test-pool): eight threads at once may have
# monitors active; a ninth gets RuntimeError, and the eight count their own
# allocations.
import _thread
import time
import memorymonitor

lock = _thread.allocate_lock()
hold = [True]
done = []


def worker():
    mm = memorymonitor.AllocationSize()
    try:
        with mm:
            b = bytearray(100)
            with lock:
                done.append("entered")
            while hold[0]:
                time.sleep_ms(1)
        result = sum(mm) >= 2
    except RuntimeError as e:
        result = str(e)
    with lock:
        done.append(result)


for _ in range(9):
    _thread.start_new_thread(worker, ())
while len(done) < 9:
    time.sleep_ms(1)
hold[0] = False
while len(done) < 17:
    time.sleep_ms(1)
print(done.count("entered"), done.count(True), done.count("too many threads"))
