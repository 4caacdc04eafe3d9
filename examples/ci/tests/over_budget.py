# Deliberately over budget, to show what a failure looks like: snapshot() builds a new list, which
# a budget of no allocation does not allow. In CI this file fails with the budget's message and report.
from mmcheck import budget
from ring import Ring

r = Ring(16)
r.push(1)
r.push(2)
with budget(max_allocations=0):
    s = r.snapshot()
print("not reached:", s)
