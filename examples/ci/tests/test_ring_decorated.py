# The same kind of checks with budgets as decorators: every call runs under the budget.
from mmcheck import budget, no_allocations
from ring import Ring

r = Ring(32)


@no_allocations()
def sample(value):
    r.push(value)
    return len(r)


@budget(max_allocations=0)
def drain():
    t = 0
    while len(r):
        t += r.pop()
    return t


n = 0
while n < 40:
    got = sample(n)
    n += 1
assert got == 32, got
assert drain() == sum(range(8, 40))
print("test_ring_decorated: passed")
