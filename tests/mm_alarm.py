# AllocationAlarm: the spec's examples and every rule the README gives it. Sizes are in blocks,
# so the expected output holds for 16- and 32-byte blocks alike.
import memorymonitor
from memorymonitor import AllocationAlarm, AllocationError

BPB = memorymonitor.AllocationSize().bytes_per_block


def blocks(n):
    # A bytearray whose storage takes exactly n blocks (its object takes one more, of 1 block).
    return bytearray(n * BPB)


# Calls make() with the alarm active. (A call with *args would allocate an argument array.)
def fires(alarm, make):
    try:
        with alarm:
            make()
    except AllocationError as e:
        return e.args[0]
    return "no alarm"


def error(f, *args, **kwargs):
    try:
        f(*args, **kwargs)
    except Exception as e:
        return type(e).__name__
    return "no error"


# The spec's example, with its 20 bytes made 2 blocks on any heap.
aa = memorymonitor.AllocationAlarm(minimum_block_count=2)
x = 2
with aa:
    x = 5
print("no allocation:", x)
print(fires(aa, lambda: blocks(2)))
# ignore(): the one applicable allocation is ignored; the bytearray's own object is 1 block.
with aa.ignore(2):
    x = blocks(2)
print("ignored:", len(x) == 2 * BPB)

# Arguments.
print("default minimum:", fires(AllocationAlarm(), lambda: blocks(0)))
print("positional:", error(AllocationAlarm, 2))
print("zero:", error(AllocationAlarm, minimum_block_count=0))
print("negative:", error(AllocationAlarm, minimum_block_count=-3))
print("not an int:", error(AllocationAlarm, minimum_block_count="2"))
print("unknown keyword:", error(AllocationAlarm, minimum=2))
print("huge minimum never fires:", fires(AllocationAlarm(minimum_block_count=1 << 30), lambda: blocks(3)))
print("ignore(-1):", error(aa.ignore, -1))
print("ignore('1'):", error(aa.ignore, "1"))
print("ignore returns self:", aa.ignore(0) is aa)

# Only allocations of minimum_block_count or more count, and each uses up one ignore.
a3 = AllocationAlarm(minimum_block_count=3)
print(fires(a3, lambda: blocks(2)))
print(fires(a3, lambda: blocks(3)))
print(fires(a3, lambda: blocks(100)))


def three_big():
    blocks(3)
    blocks(4)
    blocks(5)


print(fires(a3.ignore(2), three_big))
print(fires(a3.ignore(3), three_big))

# The ignore count goes back to 0 at exit, whether or not it was used.
a3.ignore(5)
with a3:
    pass
print("after exit:", fires(a3, lambda: blocks(3)))

# __enter__ returns self; a second __enter__ while active is a RuntimeError. (The alarm is set
# out of reach: raising an exception allocates a traceback of several blocks.)
big = AllocationAlarm(minimum_block_count=1 << 30)
with big as same:
    print("enter returns self:", same is big)
    print("nested enter:", error(big.__enter__))
    print("nested enter with ignore:", error(big.ignore(1).__enter__))

# The alarm pauses before raising: the exception's own allocations do not re-trigger it, and
# after it fired it is inactive until entered again.
a1 = AllocationAlarm(minimum_block_count=1)
with a1:
    try:
        blocks(1)
    except AllocationError as e:
        print("first:", e)
    blocks(5)
    print("paused after firing")
    a1.__enter__()
    try:
        blocks(1)
    except AllocationError as e:
        print("re-entered:", e)

# Growing a buffer in place is an allocation at the new size; shrinking is not.
buf = blocks(1)
more = blocks(2)
print("grow:", fires(a3, lambda: buf.extend(more)))
lst = [0] * (3 * BPB // 8)
print("shrink:", fires(AllocationAlarm(minimum_block_count=1), lst.clear))

# __exit__ never crashes: twice, without enter, with or without arguments.
fresh = AllocationAlarm()
fresh.__exit__()
fresh.__exit__(None, None, None)
with fresh:
    pass
fresh.__exit__()
print("exits ok")
