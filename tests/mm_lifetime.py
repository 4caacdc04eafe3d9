# An active monitor lives while active, whatever references the program drops, and nothing
# dangles after gc.collect().
import gc
from memorymonitor import AllocationAlarm, AllocationError, AllocationSize

BPB = AllocationSize().bytes_per_block


def churn():
    # Enough garbage of every size to reuse any block a wrongly freed monitor held.
    for i in range(200):
        [bytearray((i % 7 + 1) * BPB) for _ in range(3)]
    gc.collect()


def start_and_drop():
    AllocationSize().__enter__()
    AllocationAlarm(minimum_block_count=40).__enter__()
    AllocationSize().__enter__()


start_and_drop()
gc.collect()
churn()
try:
    bytearray(40 * BPB)
    print("the dropped alarm was lost")
except AllocationError as e:
    print("dropped alarm still active:", e)

# Monitors the program exits and drops can be collected; the rest stay reachable.
kept = AllocationSize()
with kept:
    for _ in range(20):
        with AllocationSize():
            bytearray(3 * BPB)
        gc.collect()
    churn()
    bytearray(9 * BPB)
print("kept counted:", kept[2] >= 20, kept[4] >= 1)

# A monitor kept only by the active list, then exited through a new reference.
holder = [AllocationSize()]
holder[0].__enter__()
m = holder.pop()
del holder
gc.collect()
churn()
bytearray(BPB)
m.__exit__()
print("exited after drop:", m[0] >= 1)
gc.collect()
churn()
print("done")
