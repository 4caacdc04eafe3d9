# mmcheck.budget and no_allocations as context managers: passing, the failure messages, the exact
# minimum_block_count boundary, and that a budget allocates nothing of its own. Each case runs in a
# function: at module level, `except ... as e` stores into the globals dict, which may allocate.
from memorymonitor import AllocationError, AllocationSize
from mmcheck import budget, no_allocations

BPB = AllocationSize.bytes_per_block


def show(text):
    # The message's first line, then the report without its bytes figures (they depend on the
    # block size). After an alarm, the counts also hold the AllocationError's own allocations,
    # which differ between interpreters: only the report's presence is shown then.
    lines = text.split("\n")
    print(lines[0])
    print("  ends with:", lines[-1])
    if "AllocationError" in lines[0]:
        print("  report follows:", lines[1].split())
        return
    for line in lines[1:-1]:
        print("  " + (line[:14] + line[31:] if line[:1].isdigit() else line.split(",")[0]))


def run(b, body):
    try:
        with b:
            body()
    except AssertionError as e:
        show(str(e))
        return
    print("passed")


def nothing():
    x = 5
    return x


def one_block():
    bytearray(BPB)  # 2 allocations of 1 block: the object, its data


def blocks(n):
    return lambda: bytearray(n * BPB)


# The spec's no-allocation case, at module level (x exists already: a new global may grow the
# globals dict).
x = 2
with budget(max_allocations=0):
    x = 5
print("module level: passed")
with no_allocations():
    x = 6
print("no_allocations at module level: passed")

# A budget counts nothing of its own: an outer monitor sees nothing either.
outer = AllocationSize()


def quiet(b):
    with outer:
        with b:
            x = 5
    return sum(outer[i] for i in range(16))


print("own allocations:", quiet(budget(max_allocations=0)), quiet(budget(minimum_block_count=4)),
      quiet(budget(max_allocations=3, minimum_block_count=2)), quiet(no_allocations()))

# max_allocations.
run(budget(max_allocations=2), one_block)
run(budget(max_allocations=1), one_block)
b = budget(max_allocations=5)
run(b, one_block)
print("counts kept:", b.size[0])

# minimum_block_count: exact at the boundary, for a limit that is a bucket's lower end (3: bucket 3-4)
# and one that is not (4: same bucket).
run(budget(minimum_block_count=3), blocks(2))
run(budget(minimum_block_count=3), blocks(3))
run(budget(minimum_block_count=4), blocks(3))
run(budget(minimum_block_count=4), blocks(4))
run(budget(minimum_block_count=4, max_allocations=10), blocks(100))

# The failing allocation is stopped where it happens: nothing after it runs.
reached = []


def stopped():
    bytearray(8 * BPB)
    reached.append(1)


run(budget(minimum_block_count=8), stopped)
print("after the failing allocation:", reached)


# A body that catches the AllocationError itself does not hide the broken limit.
def swallow():
    try:
        bytearray(8 * BPB)
    except AllocationError:
        pass


run(budget(minimum_block_count=8), swallow)

# no_allocations.
run(no_allocations(), nothing)
run(no_allocations(), one_block)


# Arguments.
def error(f, **kw):
    try:
        f(**kw)
    except Exception as e:
        return type(e).__name__
    return "no error"


print("no limit:", error(budget), "negative:", error(budget, max_allocations=-1),
      "minimum_block_count=0:", error(budget, minimum_block_count=0))
