# Deliberately over budget, to show what a failure looks like: snapshot() builds a new list, which
# a budget of no allocation does not allow. In CI this file fails with the budget's message and
# report, after mmcheck.where()'s table of the lines that allocate.
from mmcheck import budget, where
from ring import Ring

r = Ring(16)
r.push(1)
r.push(2)
try:
    with budget(max_allocations=0):
        r.snapshot()
except AssertionError:
    print(where(r.snapshot))
    raise
