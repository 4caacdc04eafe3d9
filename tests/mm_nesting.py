# Several monitors at once, entered and exited in any order.
from memorymonitor import AllocationAlarm, AllocationError, AllocationSize

BPB = AllocationSize().bytes_per_block


def blocks(n):
    return bytearray(n * BPB)


outer, inner, other = AllocationSize(), AllocationSize(), AllocationSize()

with outer:
    blocks(2)
    with inner:
        blocks(3)
    blocks(5)
print("outer:", outer[0], outer[1], outer[2], outer[3])
print("inner:", inner[0], inner[1], inner[2], inner[3])

# Exited in the order they were entered, not the reverse.
outer.__enter__()
inner.__enter__()
other.__enter__()
blocks(2)
outer.__exit__()
blocks(3)
other.__exit__()
blocks(5)
inner.__exit__()
blocks(9)
print("outer:", outer[1], outer[2], outer[3], outer[4])
print("other:", other[1], other[2], other[3], other[4])
print("inner:", inner[1], inner[2], inner[3], inner[4])

# An exited monitor counts nothing afterwards, however the others come and go.
for m in (outer, inner, other):
    with m:
        pass
with inner:
    with outer:
        pass
    blocks(2)
print("outer after exit:", sum(outer), "inner:", inner[1])

# An exited alarm fires nothing afterwards, while another stays active.
a, b = AllocationAlarm(minimum_block_count=3), AllocationAlarm(minimum_block_count=3)
with a:
    b.__enter__()
    b.__exit__()
blocks(4)
print("exited alarms are silent")

# An allocation that trips an alarm is still counted by the active AllocationSizes,
# and each alarm it trips is stopped.
with outer:
    try:
        with a:
            with b.ignore(1):
                blocks(4)
    except AllocationError as e:
        print("alarm:", e)
    print("counted:", outer[2])
    try:
        with b:
            with a:
                blocks(4)
                blocks(4)
    except AllocationError as e:
        print("alarm:", e)
print("outer after:", outer[2])

# Two alarms tripped by one allocation raise once, and both stop.
with a, b:
    try:
        blocks(3)
    except AllocationError as e:
        print("once:", e)
    blocks(3)
    print("both stopped")

# Many monitors at once. (Iterating an existing list allocates nothing; slicing would.)
many = [AllocationSize() for _ in range(50)]
evens, odds = many[::2], many[1::2]
for m in many:
    m.__enter__()
blocks(2)
for m in evens:
    m.__exit__()
blocks(2)
for m in odds:
    m.__exit__()
print("many:", set(m[1] for m in evens), set(m[1] for m in odds))
