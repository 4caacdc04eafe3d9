# The fault-injection sweep's driver. tools/sweep.py fills in the values at the top and runs it
# on the interpreter under test, in a fresh interpreter for each trip, so that the program's
# compilation (name interning, the parser) is as new as in a real first run:
# - K < 0: the program, compiled and run with an AllocationSize active; prints its allocation
#   count N and a digest of its output;
# - K >= 0: the program compiled and run with an AllocationAlarm(minimum_block_count=1) that lets
#   K allocations through and stops the next, and an AllocationSize beside it; then checks that
#   the interpreter still works (a new name as an attribute and a dict key, a collection, a
#   thread interning new names) and runs the program again without an alarm. Prints what the
#   alarm did, what the size counted, the checks' verdict and the digest of the second run's
#   output, which sweep.py compares with the first.
import gc
import sys
from memorymonitor import AllocationAlarm, AllocationSize, AllocationError

try:
    import _thread
except ImportError:
    _thread = None

NAME = "@NAME@"
SRC = "@SRC@"
DIR = "@DIR@"
K = -1

if DIR:
    sys.path.insert(0, DIR)
out = []


def capture(*args, sep=" ", end="\n", file=None):
    out.append(sep.join([str(a) for a in args]) + end)


# One run of the program, its output in `out`: compiled and run with the alarm tripped at
# allocation k (none if k is negative). Returns what the alarm did ("raised" reached here,
# "caught" by the program, "none" if it never fired) and what the size counted while the alarm
# was active (-1 if a bucket stopped at 65535, making the total a lower bound).
def run(k):
    del out[:]
    g = {"__name__": "__main__", "__file__": NAME, "print": capture}
    size = AllocationSize()
    alarm = AllocationAlarm(minimum_block_count=1)
    fired = "none"
    error = None
    size.__enter__()
    try:
        try:
            if k >= 0:
                alarm.ignore(k)
                alarm.__enter__()
            exec(compile(SRC, NAME, "exec"), g)
        except AllocationError:
            fired = "raised"
        except SystemExit:
            pass
        except BaseException as e:
            error = e
        if k >= 0 and fired == "none":
            # Entering an active alarm is refused: refused here, it never fired.
            try:
                alarm.__enter__()
                fired = "caught"
            except RuntimeError:
                pass
            alarm.__exit__(None, None, None)
    except AllocationError:
        # An error the alarm held (it fired where the interpreter could not take it), raised at
        # the driver's next allocation or the alarm's exit.
        fired = "raised"
    size.__exit__(None, None, None)
    if error is not None:
        out.append("exception %s\n" % type(error).__name__)
    return fired, sum(size) if max(size) < 65535 else -1


def digest():
    text = "".join(out)
    return "%d-%d" % (len(text), hash(text) & 0xFFFFFF)


class Thing:
    pass


def thread_interns():
    if _thread is None:
        return True
    lock = _thread.allocate_lock()
    lock.acquire()
    seen = []

    def interns():
        try:
            for j in range(3):
                seen.append(getattr(Thing, "mm_sweep_thread_%d" % j, j))
        finally:
            lock.release()

    _thread.start_new_thread(interns, ())
    lock.acquire()
    return seen == [0, 1, 2]


def unhealthy():
    t = Thing()
    setattr(t, "mm_sweep_name", K)
    if getattr(t, "mm_sweep_name") != K or getattr(t, "mm_sweep_absent", None) is not None:
        return "attribute"
    d = {"mm_sweep_key": K}
    d["mm_sweep_key_2"] = K + 1
    if d["mm_sweep_key"] != K or d["mm_sweep_key_2"] != K + 1:
        return "dict"
    gc.collect()
    if not thread_interns():
        return "thread"
    return None


if K < 0:
    fired, n = run(-1)
    print("program %s allocations %d output %s" % (NAME, n, digest()))
    print("skip" if "".join(out).strip() == "SKIP" else "counted")
else:
    fired, total = run(K)
    # The trip let K allocations through and stopped the next: the size saw all K + 1.
    why = "missed" if fired != "none" and 0 <= total < K + 1 else unhealthy()
    run(-1)
    print("trip %d %s %d %s %s" % (K, fired, total, why or "healthy", digest()))
print("end")
