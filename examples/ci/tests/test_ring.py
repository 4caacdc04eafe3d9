# Plain-assert tests: the ring's hot path allocates nothing once the ring exists.
from mmcheck import budget, no_allocations
from ring import Ring


def test_push_pop():
    r = Ring(8)
    with no_allocations():
        i = 0
        while i < 100:  # (range() would be an allocation of its own)
            r.push(i)
            i += 1
        first = r.pop()
    assert first == 92 and len(r) == 7, (first, len(r))


def test_total():
    r = Ring(4)
    r.push(1)
    r.push(2)
    r.push(3)
    with no_allocations():
        t = r.total()
    assert t == 6, t


def test_snapshot_is_small():
    # A report may allocate, but a handful of small blocks only.
    r = Ring(16)
    r.push(5)
    with budget(max_allocations=8, minimum_block_count=4):
        s = r.snapshot()
    assert s == [5], s


test_push_pop()
test_total()
test_snapshot_is_small()
print("test_ring: 3 tests passed")
