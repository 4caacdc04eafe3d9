# The module's own errors are never masked by its own alarms: building an exception allocates
# (2 blocks with exception chaining), and so does its traceback as it leaves each frame; an
# active alarm must not fire on those and raise AllocationError in place of the error the
# program made. Each case runs in a function: at module level, `except ... as e` stores into
# the globals dict, which may allocate.
from memorymonitor import AllocationAlarm, AllocationError


def name(e):
    return type(e).__name__


def reenter(alarm):
    # Entering an active alarm: RuntimeError, and the alarm stays active (the RuntimeError's
    # own allocations did not trip it), so the next allocation trips it.
    r0 = r1 = None
    with alarm:
        try:
            alarm.__enter__()
        except Exception as e:
            r0 = e
        try:
            bytearray(16 * 64)
        except Exception as e:
            r1 = e
    return name(r0), r0.args[0], name(r1)


def deeper(alarm):
    # The same error raised a few frames down, caught here.
    def f(n):
        if n == 0:
            alarm.__enter__()
        f(n - 1)

    r = None
    with alarm:
        try:
            f(3)
        except Exception as e:
            r = e
    return name(r)


def ignore_negative(alarm):
    r = None
    with alarm:
        try:
            alarm.ignore(-1)
        except Exception as e:
            r = e
    return name(r)


def two_alarms():
    # A second active alarm does not turn the first alarm's AllocationError into its own: the
    # error names the first alarm's allocation, and the second alarm is still armed after it.
    # The second lets the bytearray's two allocations (object, then data) pass.
    big = AllocationAlarm(minimum_block_count=4)
    small = AllocationAlarm(minimum_block_count=1)
    r0 = r1 = r2 = None
    with small.ignore(2):
        with big:
            try:
                bytearray(16 * 64)
            except AllocationError as e:
                r0 = e
        try:
            small.__enter__()
        except Exception as e:
            r1 = e
        try:
            bytearray(1)
        except Exception as e:
            r2 = e
    return int(r0.args[0].split()[3]) >= 4, name(r1), r2.args[0]


def ignore_kept():
    # Another error's allocations use up no ignore count.
    a = AllocationAlarm(minimum_block_count=1)
    r0 = r1 = None
    with a.ignore(1):
        try:
            a.ignore(-1)
        except Exception as e:
            r0 = e
        x = bytearray(0)
        try:
            bytearray(1)
        except Exception as e:
            r1 = e
    return name(r0), name(r1)


print("re-enter, minimum 1:", reenter(AllocationAlarm(minimum_block_count=1)))
print("re-enter, minimum 2:", reenter(AllocationAlarm(minimum_block_count=2)))
print("re-enter, 4 frames down:", deeper(AllocationAlarm(minimum_block_count=1)))
print("ignore(-1), minimum 1:", ignore_negative(AllocationAlarm(minimum_block_count=1)))
print("ignore(-1), minimum 2:", ignore_negative(AllocationAlarm(minimum_block_count=2)))
print("two alarms:", two_alarms())
print("ignore kept:", ignore_kept())
