# Memory that C code running under the interpreter asks for through m_tracked_calloc (here ffi's
# callbacks; on boards mbedtls, the Pico W's Wi-Fi driver, BTstack) is asked for where no
# exception can be taken: an alarm that fires there raises after it, as mm_alarm_held.py's do, so
# the C code finishes, and what it made works. Needs the unix port with ffi (make test-pool).
try:
    import ffi
except ImportError:
    print("SKIP")
    raise SystemExit
from memorymonitor import AllocationAlarm, AllocationError


def compare(a, b):
    return ffi.as_bytearray(a, 1)[0] - ffi.as_bytearray(b, 1)[0]


def made_under(alarm):
    cb = None
    error = None
    try:
        with alarm:
            # Nothing of the interpreter's allocates before the callback's memory.
            cb = ffi.callback("i", compare, "pp")
    except AllocationError as e:
        error = str(e).startswith("Attempt to allocate ")
    return cb, error


cb, error = made_under(AllocationAlarm(minimum_block_count=1))
print("fires in the callback's memory: made", cb is not None, "then raised", error)
a = AllocationAlarm(minimum_block_count=1)
a.ignore(1)
cb2, error = made_under(a)
print("ignored once: made", cb2 is not None, "raised", error)
# The callback made under the alarm works: libc's qsort calls it through libffi.
if cb is not None:
    qsort = ffi.open("libc.so.6").func("v", "qsort", "piip")
    data = bytearray(b"dcba")
    qsort(data, len(data), 1, cb)
    print(data)
