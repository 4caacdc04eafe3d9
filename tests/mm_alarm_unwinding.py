# An alarm does not fire on the traceback entry an exception gains as it leaves a frame: raised
# there, its AllocationError would replace the program's exception and skip the frame's `with`
# exits, leaving its monitors active. (The exception here is made before any monitor is active,
# so the traceback entries are the only allocations.) Size monitors still count them.
import memorymonitor

mm = memorymonitor.AllocationSize()
aa = memorymonitor.AllocationAlarm()


def inner(e):
    with mm:
        with aa:
            raise e


def outer(e):
    inner(e)


for attempt in range(2):
    made_before = ValueError("made before")
    try:
        outer(made_before)
    except ValueError as e:
        print("caught ValueError:", e)
    except memorymonitor.AllocationError as e:
        print("AllocationError replaced it:", e)
    # The entry added in inner(), while the monitors were active, was counted.
    print("counted:", sum(mm) > 0)
    # Both monitors were exited: each can be entered again.
    for m in (mm, aa):
        try:
            with m:
                pass
            print(type(m).__name__, "was exited")
        except RuntimeError as e:
            print(type(m).__name__, "still active:", e)

# The alarm still fires on the program's own allocations inside the block.
try:
    with aa:
        x = bytearray(64)
except memorymonitor.AllocationError as e:
    print("alarm still fires:", e.__class__.__name__)
