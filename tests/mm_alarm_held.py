# An alarm that fires inside an allocation whose caller cannot take an exception (MicroPython's
# m_*_maybe; interning a new name calls it under the interning lock on threaded ports) raises
# right after: at the thread's next allocation, or as the alarm exits. The interpreter keeps
# working: new names, attributes, dict keys, a collection (another thread's names:
# mm_threads_held.py).
# A new name of 200 characters always needs a new chunk of interned text: 7 blocks or more.
import gc
import memorymonitor
from memorymonitor import AllocationAlarm, AllocationError

o = object()
LONG = "n" * 190


def new_name(i):
    return "%s_%d" % (LONG, i)


def interned_then(i, allocate):
    # Fires while getattr interns the name; getattr completes, then the list raises, or, with
    # nothing allocated after it, the alarm's exit.
    name = new_name(i)
    a = AllocationAlarm(minimum_block_count=5)
    steps = []
    try:
        with a:
            getattr(o, name, None)
            steps.append("interned")
            if allocate:
                x = [1, 2]
                steps.append("listed")
        steps.append("exited")
    except AllocationError as e:
        return steps, str(e).startswith("Attempt to allocate ")
    return steps, None


def with_ignore(i):
    # The first interning is ignored, the second fires and is held, the list raises.
    a = AllocationAlarm(minimum_block_count=5)
    a.ignore(1)
    first, second = new_name(i), new_name(i + 1)
    steps = []
    try:
        with a:
            getattr(o, first, None)
            steps.append(1)
            getattr(o, second, None)
            steps.append(2)
            x = [1, 2]
            steps.append(3)
    except AllocationError:
        return steps
    return None


def sizes_count_it(i):
    # A size active beside the alarm counts the held allocation, once.
    s = memorymonitor.AllocationSize()
    a = AllocationAlarm(minimum_block_count=5)
    try:
        with s:
            with a:
                getattr(o, new_name(i), None)
    except AllocationError:
        pass
    big = sum(s[b] for b in range(3, 16))
    return big


def grows(k):
    # A list that grows moves its items; the alarm stops its k-th allocation. The list must hold
    # what was appended (its old items are freed where it moved, and used again below).
    lst = []
    a = AllocationAlarm(minimum_block_count=1)
    a.ignore(k)
    try:
        with a:
            for i in range(300):
                lst.append(i)
    except AllocationError:
        pass
    gc.collect()
    reuse = [bytearray(48) for _ in range(40)]
    return lst == list(range(len(lst)))


print("next allocation", interned_then(0, True))
print("exit", interned_then(1, False))
print("ignore", with_ignore(2))
print("size", sizes_count_it(4) >= 1)
print("growing list", all(grows(k) for k in range(16)))

# A loop of thousands of new names, each with an alarm; every trip raises, none hangs.
raised = 0
for i in range(100, 250):
    a = AllocationAlarm(minimum_block_count=5)
    name = new_name(i)
    try:
        with a:
            getattr(o, name, None)
    except AllocationError:
        raised += 1
print("loop", raised)

# The interpreter is whole: new names and attributes, dict keys, a collection.
class C:
    pass


c = C()
for i in range(50):
    setattr(c, "after_%d" % i, i)
print("attributes", sum(getattr(c, "after_%d" % i) for i in range(50)))
d = {}
for i in range(50):
    d["key_%d" % i] = i
print("keys", len(d), d["key_49"])
gc.collect()
print("names", getattr(o, new_name(0), "ok"), getattr(o, new_name(100), "ok"))
