# Alarms that fire while a name is interned (under the interning lock on ports with threads)
# leave that lock free: after trips in the main thread, a second thread interns names, trips
# alarms of its own the same way, and the main thread interns again after it.
try:
    import _thread
except ImportError:
    print("SKIP")
    raise SystemExit
from memorymonitor import AllocationAlarm, AllocationError

o = object()
LONG = "n" * 190


def trips(prefix):
    # A new name of 200 characters needs a new chunk of interned text: 7 blocks or more.
    raised = 0
    for i in range(20):
        name = "%s_%s_%d" % (prefix, LONG, i)
        a = AllocationAlarm(minimum_block_count=5)
        try:
            with a:
                getattr(o, name, None)
        except AllocationError:
            raised += 1
    return raised


print("main trips", trips("main"))
lock = _thread.allocate_lock()
lock.acquire()
found = []


def in_thread():
    try:
        found.append(trips("thread"))
        found.append(sum(getattr(o, "plain_%s_%d" % (LONG, i), i) for i in range(20)))
    finally:
        lock.release()


_thread.start_new_thread(in_thread, ())
lock.acquire()
print("thread trips, names", found)
print("main again", trips("again"), getattr(o, "last_" + LONG, "ok"))
