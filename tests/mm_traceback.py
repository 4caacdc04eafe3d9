# A traceback's last line names AllocationError and the blocks asked for (CircuitPython's own
# module put the module's name before it: docs/circuitpython.md). Needs a way to print a
# traceback: sys.print_exception (MicroPython) or the traceback module (CircuitPython's fuller
# builds); skipped where the firmware has neither.
import io
import sys
import memorymonitor

if hasattr(sys, "print_exception"):
    print_exception = sys.print_exception
else:
    try:
        import traceback
    except ImportError:
        print("SKIP")
        raise SystemExit

    def print_exception(e, file):
        traceback.print_exception(e, file=file)


a = memorymonitor.AllocationAlarm()
try:
    with a:
        bytearray(10)
except memorymonitor.AllocationError as e:
    buf = io.StringIO()
    print_exception(e, buf)
    print(buf.getvalue().splitlines()[-1])
