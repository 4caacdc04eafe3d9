# The module's contents and AllocationError.
import memorymonitor

print(sorted(n for n in dir(memorymonitor) if not n.startswith("__")))
print(memorymonitor.__name__)
E = memorymonitor.AllocationError
print(issubclass(E, Exception), E.__name__)

# Constructible and catchable like any exception.
try:
    raise E("boom")
except Exception as e:
    print(type(e) is E, repr(e), str(e), e.args)


# A user subclass.
class Mine(E):
    pass


try:
    raise Mine(1, 2)
except E as e:
    print(type(e).__name__, e.args)

# The alarm's own error, and its repr.
a = memorymonitor.AllocationAlarm()
try:
    with a:
        bytearray(10)
except E as e:
    print(repr(e))
