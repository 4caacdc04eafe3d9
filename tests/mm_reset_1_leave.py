# Leaves monitors active at the end of the script. On a board the test runner soft-resets
# before the next test (mm_reset_2_after.py), which checks that none of them survived.
import memorymonitor

BPB = memorymonitor.AllocationSize().bytes_per_block
kept = memorymonitor.AllocationSize()
kept.__enter__()
memorymonitor.AllocationSize().__enter__()
memorymonitor.AllocationAlarm(minimum_block_count=64).__enter__()
try:
    bytearray(64 * BPB)
except memorymonitor.AllocationError as e:
    print("active before the reset:", e)
memorymonitor.AllocationAlarm(minimum_block_count=64).__enter__()
print("left active:", kept[0] >= 1)
