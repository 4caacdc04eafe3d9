# Run before every test of MicroPython's own suite in the third mode of `make test-suite`: a size
# monitor counting everything, and an alarm that never fires, both active for the whole test.
import memorymonitor

_mm_size = memorymonitor.AllocationSize()
_mm_alarm = memorymonitor.AllocationAlarm(minimum_block_count=1 << 28)
_mm_size.__enter__()
_mm_alarm.__enter__()
del memorymonitor
