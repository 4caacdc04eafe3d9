# mmcheck budgets inside a user's active AllocationAlarm: a budget adds no allocation of its own
# (the user's alarm fires only for what the body allocates), and only the budget's own alarm
# becomes an AssertionError; the user's AllocationError passes through unchanged.
from memorymonitor import AllocationAlarm, AllocationError, AllocationSize
from mmcheck import budget, no_allocations

BPB = AllocationSize.bytes_per_block


def blocks(n):
    # (No try/except here: a function with one has a frame too large for the C stack, which
    # MicroPython then takes from the heap: an allocation of its own at each call.)
    return lambda: bytearray(n * BPB)


def nothing():
    x = 5
    return x


def run(alarm, b, body):
    try:
        with alarm:
            with b:
                body()
    except AllocationError as e:
        return "user's AllocationError: %s" % e
    except AssertionError as e:
        # The first line, and the last if it says that an outer alarm fired on the message.
        lines = str(e).split("\n")
        return "AssertionError: " + lines[0] + ("\n  " + lines[-1] if lines[-1][:1] == "(" else "")
    return "passed, no alarm"


strict = AllocationAlarm(minimum_block_count=1)
for b in (budget(max_allocations=0), budget(minimum_block_count=2), budget(max_allocations=3, minimum_block_count=64), no_allocations()):
    print(run(strict, b, nothing))

# The body allocates: the user's alarm fires first, and its error comes out as it was.
print(run(strict, budget(max_allocations=10), blocks(1)))
print(run(strict, budget(minimum_block_count=64), blocks(1)))
print(run(AllocationAlarm(minimum_block_count=2), budget(minimum_block_count=8), blocks(3)))
print(run(AllocationAlarm(minimum_block_count=2), budget(minimum_block_count=4, max_allocations=0), blocks(3)))

# Only the budget's alarm fires: its AssertionError, whose message is large enough to trip the
# user's alarm, which is stopped then (and the message says so); neither fires: the budget passes,
# though it had to check whether its alarm fired (the body allocated 3 blocks, in the bucket of 4).
print(run(AllocationAlarm(minimum_block_count=4), budget(minimum_block_count=2), blocks(3)))
print(run(AllocationAlarm(minimum_block_count=4), budget(minimum_block_count=4), blocks(3)))

# One allocation trips both alarms: the module raises once, both stop; the budget's limit was
# broken, so the budget reports it.
print(run(AllocationAlarm(minimum_block_count=2), budget(minimum_block_count=2), blocks(3)))
