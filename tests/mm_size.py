# AllocationSize: buckets, counting rules, the sequence protocol and repr. Sizes are in blocks,
# so the expected output holds for 16- and 32-byte blocks alike.
import sys
import memorymonitor
from memorymonitor import AllocationSize

BPB = AllocationSize().bytes_per_block
word = 8 if sys.maxsize > 2**31 else 4
print("bytes_per_block is 4 words:", BPB == 4 * word)
mm = AllocationSize()
print("class attribute:", AllocationSize.bytes_per_block == BPB)
print("len:", len(mm))
print("fresh:", list(mm) == [0] * 16, mm)


def bucket(n):
    # The README's definition: the smallest b with n <= 2**b, capped at 15.
    b = 0
    while n > 2**b and b < 15:
        b += 1
    return b


def storage(n_blocks):
    # Counts one bytearray whose storage is n_blocks blocks; its object is 1 block.
    with mm:
        bytearray(n_blocks * BPB)
    return [(b, c) for b, c in enumerate(mm) if c]


for n in (1, 2, 3, 4, 5, 8, 9, 16, 17, 32, 33):
    got = storage(n)
    expect = {0: 1}
    expect[bucket(n)] = expect.get(bucket(n), 0) + 1
    print(n, "blocks:", got, got == sorted(expect.items()))

# Partial blocks round up: one byte over a block is two blocks.
print("1 byte over:", storage(1) == [(0, 2)], end=" ")
with mm:
    bytearray(BPB + 1)
print(list(mm)[:3])

# __enter__ returns self, clears the counts; __exit__ pauses; counts stay readable.
with mm as same:
    print("enter returns self:", same is mm)
    bytearray(3 * BPB)
print("after exit:", mm[0], mm[2])
bytearray(3 * BPB)
print("paused:", mm[0], mm[2])
with mm:
    pass
print("cleared:", list(mm) == [0] * 16)

# Nested enter of the same monitor.
with mm:
    try:
        mm.__enter__()
    except RuntimeError as e:
        print("nested enter:", type(e).__name__, e)

# Indexing.
with mm:
    bytearray(2 * BPB)
print("index:", mm[0], mm[1], mm[-16], mm[-15], mm[15], mm[-1])
for bad in (16, -17, 1 << 20):
    try:
        mm[bad]
    except IndexError as e:
        print("IndexError", bad)
for bad in ("1", 1.0, None):
    try:
        mm[bad]
    except TypeError:
        print("TypeError", repr(bad))
try:
    mm[0] = 5
except TypeError as e:
    print("assignment:", e)
try:
    del mm[0]
except TypeError as e:
    print("deletion:", e)
print("unchanged:", mm[0], mm[1])

# Iteration, enumerate, list, tuple, sum, in.
counts = list(mm)
print("list:", counts[:3], len(counts))
print("enumerate:", [(b, c) for b, c in enumerate(mm)][:3])
print("tuple:", tuple(mm) == tuple(counts), "sum:", sum(mm), "in:", 1 in mm)
it = iter(mm)
print("next:", next(it), next(it), next(it))

# The spec's example.
with mm:
    print("hello world" * 3)
shown = []
for b, count in enumerate(mm):
    shown.append((2**b, count))
# A str object of 1 block, and its text with the terminating NUL: MicroPython builds the text
# in place, CircuitPython copies it once more.
data = bucket((len("hello world" * 3) + 1 + BPB - 1) // BPB)
print("spec loop:", len(shown), shown[0] == (1, 1), shown[data][0] == 2**data, shown[data][1] in (1, 2))
print("spec loop, nothing else:", sum(c for _, c in shown) == 1 + shown[data][1])

# repr: as CircuitPython's, the type alone, whatever the counts.
with mm:
    bytearray(3 * BPB)
print(repr(mm), str(mm) == repr(mm))

# Constructor arguments.
for args in ((1,), ("x",)):
    try:
        AllocationSize(*args)
    except TypeError:
        print("TypeError for", args)
try:
    AllocationSize(minimum_block_count=1)
except TypeError:
    print("TypeError for keyword")

# __exit__ never crashes.
fresh = AllocationSize()
fresh.__exit__()
fresh.__exit__(None, None, None)
with fresh:
    pass
fresh.__exit__()
print("exits ok")
