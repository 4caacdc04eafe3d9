# Runs after mm_reset_1_leave.py. On a board a soft reset came between them: the monitors it
# left active must be gone, and counting and alarms must work as before.
import gc
import memorymonitor

BPB = memorymonitor.AllocationSize().bytes_per_block
print("no alarm left:", len(bytearray(100 * BPB)) == 100 * BPB)
for i in range(50):
    [bytearray((i % 5 + 1) * BPB) for _ in range(4)]
gc.collect()
mm = memorymonitor.AllocationSize()


def measure():
    with mm:
        bytearray(3 * BPB)


measure()
print("counts:", list(mm)[:4], sum(mm))
try:
    with memorymonitor.AllocationAlarm(minimum_block_count=3):
        bytearray(3 * BPB)
except memorymonitor.AllocationError as e:
    print("alarm:", e)
