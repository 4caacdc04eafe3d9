# mmcheck.budget: nesting, re-entering, exceptions from the body, and use as a decorator.
import mmcheck
from memorymonitor import AllocationSize

BPB = AllocationSize.bytes_per_block


def first_line(e):
    return type(e).__name__ + ": " + str(e).split("\n")[0]


# Two budgets nested: both count the inner body, each with its own monitors.
outer, inner = mmcheck.budget(max_allocations=10), mmcheck.budget(max_allocations=10)


def nested():
    with outer:
        bytearray(BPB)
        with inner:
            bytearray(2 * BPB)
        bytearray(3 * BPB)


nested()
print("outer:", outer.size[0], outer.size[1], outer.size[2], "inner:", inner.size[0], inner.size[1], inner.size[2])


# The inner budget fails, the outer one sees its AssertionError pass through unchanged.
def inner_fails():
    try:
        with mmcheck.budget(max_allocations=100):
            with mmcheck.budget(max_allocations=1):
                bytearray(BPB)
    except AssertionError as e:
        return first_line(e)


print(inner_fails())


# Re-entering the same budget while it is active: the module's RuntimeError, and the budget
# still works afterwards. (The RuntimeError is the body's: its allocations count.)
def reenter(b):
    r = None
    with b:
        try:
            with b:
                pass
        except RuntimeError as e:
            r = e
    with b:
        pass
    return type(r).__name__, r.args[0]


print("re-enter:", reenter(mmcheck.budget(max_allocations=50)))
print("re-enter:", reenter(mmcheck.budget(minimum_block_count=64)))


# Exceptions from the body pass through unchanged, whatever the limits, and the budget's
# monitors are stopped: it can be entered again.
err = ValueError("from the body")


def raises(b):
    try:
        with b:
            bytearray(BPB)
            raise err
    except Exception as e:
        return e is err
    return "nothing raised"


for b in (mmcheck.budget(max_allocations=0), mmcheck.budget(minimum_block_count=64), mmcheck.budget(max_allocations=0, minimum_block_count=64)):
    print("propagated:", raises(b), raises(b))


def raises_key():
    try:
        with mmcheck.budget(max_allocations=0):
            {}["missing"]
    except KeyError as e:
        return "KeyError " + repr(e.args[0])


print(raises_key())


# As a decorator: each call runs under the budget, reusing its monitors; the return value and
# exceptions pass through.
@mmcheck.budget(max_allocations=2)
def make(n):
    return bytearray(n * BPB)


print("returned:", len(make(1)) == BPB, len(make(2)) == 2 * BPB)


@mmcheck.budget(max_allocations=0)
def add(a, b, c):
    return a + b + c


print("three arguments:", add(1, 2, 3), add(4, 5, 6))


@mmcheck.no_allocations()
def nothing():
    return 7


print("no arguments:", nothing(), nothing())

limited = mmcheck.budget(max_allocations=0)


@limited
def grows(n):
    return bytearray(n) if n else None


def call(f, *args):
    try:
        f(*args)
    except AssertionError as e:
        return first_line(e)
    return "passed"


print(call(grows, 0))
print(call(grows, 200))
print("counts of the last call:", sum(limited.size[i] for i in range(16)))


@mmcheck.budget(max_allocations=5)
def fails(kind):
    raise kind("from the function")


try:
    fails(ValueError)
except ValueError as e:
    print("decorated function raised:", first_line(e))


# Recursion: the inner calls of a decorated function run under the outer call's budget, directly
# or through another function, and count in it (with their arguments' allocations, which differ
# between interpreters); a broken budget fails once, for the outer call.
recursive = mmcheck.budget(max_allocations=50)


@recursive
def again(n):
    return n if n == 0 else again(n - 1)


print("recursion:", again(5), "inner calls counted:", sum(recursive.size) >= 5)


@mmcheck.budget(max_allocations=100)
def ping(n):
    bytearray(BPB)
    return n if n == 0 else pong(n - 1)


def pong(n):
    return ping(n)


print("through another function:", ping(2))


@mmcheck.budget(max_allocations=0)
def deep(n):
    bytearray(BPB)
    return n if n == 0 else deep(n - 1)


try:
    deep(3)
except AssertionError as e:
    print("recursion over budget:", first_line(e).split(", but")[0])
print("after it:", ping(1))
