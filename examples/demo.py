# memorymonitor demo: what does some ordinary Python allocate, and how to stop a large allocation.
# (The report comes from mmcheck, python/mmcheck.py: run with MICROPYPATH=python, as `make demo` does.)
import json
import memorymonitor
import mmcheck

BPB = memorymonitor.AllocationSize.bytes_per_block
print("memorymonitor demo: the heap hands out blocks of", BPB, "bytes\n")


def work():
    # Some ordinary work: parse a document, build a report from it.
    doc = json.loads('{"sensors": [%s]}' % ", ".join('{"id": %d, "t": %d.5}' % (i, 20 + i % 7) for i in range(40)))
    rows = ["%3d %5.1f" % (s["id"], s["t"]) for s in doc["sensors"]]
    return "\n".join(rows)


mm = memorymonitor.AllocationSize()
with mm:
    report = work()
print("Allocations made by work(), by size:")
mmcheck.report(mm)
print()

alarm = memorymonitor.AllocationAlarm(minimum_block_count=16)
print("An alarm for allocations of 16 blocks (%d bytes) or more:" % (16 * BPB))
with alarm:
    small = bytearray(64)
print("  bytearray(64) passes")
try:
    with alarm:
        big = bytearray(4096)
except memorymonitor.AllocationError as e:
    print("  bytearray(4096) stopped: AllocationError:", e)
with alarm.ignore(1):
    big = bytearray(4096)
print("  with alarm.ignore(1), bytearray(4096) passes:", len(big), "bytes")
