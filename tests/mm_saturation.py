# 70000 allocations in one bucket: the count stops at 65535 rather than wrapping to 4464.
from memorymonitor import AllocationSize

BPB = AllocationSize().bytes_per_block
mm = AllocationSize()


def many():
    # In a function, so that nothing but the bytearrays (and the range) is allocated.
    with mm:
        for _ in range(70000):
            bytearray(2 * BPB)


many()
print("saturated:", mm[0], mm[1], sum(mm) - mm[0] - mm[1])
with mm:
    pass
print("cleared:", sum(mm))
