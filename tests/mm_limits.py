# Counts saturate at 65535, and any size of allocation lands in a bucket.
from memorymonitor import AllocationAlarm, AllocationError, AllocationSize

BPB = AllocationSize.bytes_per_block
mm = AllocationSize()

# 70000 allocations in one bucket: the count stops at 65535 rather than wrapping to 4464.
with mm:
    for _ in range(70000):
        bytearray(2 * BPB)
print("saturated:", mm[0], mm[1], sum(mm))

# Over 65536 blocks in one allocation: the last bucket, and an alarm names the size.
n = 65536 + 7
try:
    big = bytearray(n * BPB)
    del big
except MemoryError:
    print("SKIP")  # the heap is too small: run with -X heapsize=16M or more
    raise SystemExit
with mm:
    big = bytearray(n * BPB)
del big
print("huge:", mm[0], mm[15], sum(mm))
try:
    with AllocationAlarm(minimum_block_count=65536):
        bytearray(n * BPB)
except AllocationError as e:
    print(e.args[0] == "Attempt to allocate %d blocks" % n)
