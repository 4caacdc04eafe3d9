# One allocation of over 65536 blocks lands in the last bucket, and an alarm names its size.
from memorymonitor import AllocationAlarm, AllocationError, AllocationSize

BPB = AllocationSize().bytes_per_block
n = 65536 + 7
try:
    big = bytearray(n * BPB)
    del big
except MemoryError:
    print("SKIP")  # too small a heap: tools/run-tests.sh --ours gives the unix port enough
    raise SystemExit

mm = AllocationSize()


def huge():
    with mm:
        bytearray(n * BPB)


huge()
print("huge:", mm[0], mm[15], sum(mm))
try:
    with AllocationAlarm(minimum_block_count=65536):
        bytearray(n * BPB)
except AllocationError as e:
    print(e.args[0] == "Attempt to allocate %d blocks" % n)
