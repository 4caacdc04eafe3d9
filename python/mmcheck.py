# mmcheck: readable reports of memorymonitor.AllocationSize, and allocation budgets for tests.
# Runs unchanged on MicroPython (1.25 or newer) and CircuitPython 10 with the memorymonitor module.
#
# A note that shapes the budget code below: the budget must not count itself. On ports without a
# Python stack, calling a Python function whose frame (arguments, locals and evaluation stack)
# is more than 11 words takes that frame from the heap, and a bound method, an iterator over an
# AllocationSize (it builds a tuple), range() or any string is an allocation too. So the code that
# runs between entering the monitors and a successful exit is split into small functions, reads
# buckets with size[i] in while loops, and builds nothing.

from memorymonitor import AllocationAlarm, AllocationError, AllocationSize

_SATURATED = 65535  # the module's counts stop there instead of wrapping
_BAR = 30


def _fmt_count(n):
    # A saturated bucket may have counted any number from 65535 up: say so.
    return "%d+" % n if n >= _SATURATED else "%d" % n


def _total(size):
    n = i = 0
    while i < len(size):
        n += size[i]
        i += 1
    return n


def _total_str(size):
    # The sum of the counts, with "+" if a saturated count makes it a lower bound.
    i = 0
    while i < len(size) and size[i] < _SATURATED:
        i += 1
    return "%d%s" % (_total(size), "+" if i < len(size) else "")


def _low(b):
    # Fewest blocks an allocation counted in bucket b can take.
    return 1 if b == 0 else (1 << (b - 1)) + 1


def report_str(size):
    """The report of an AllocationSize (or anything with its len, [] and bytes_per_block)."""
    bpb = size.bytes_per_block
    last = len(size) - 1
    top = 0
    for b in range(last + 1):
        top = max(top, size[b])
    if not top:
        return "no allocations (%d bytes per block)" % bpb
    lines = ["%-13s %-17s %6s" % ("blocks", "bytes", "count")]
    hi = 0
    for b in range(last + 1):
        c = size[b]
        if not c:
            continue
        lo = _low(b)
        if b == last:
            # The last bucket holds everything larger: it has no upper bound.
            blocks, nbytes = "%d+" % lo, "%d+" % ((lo - 1) * bpb + 1)
        else:
            hi += c * (1 << b) * bpb
            blocks = "%d" % lo if lo == 1 << b else "%d-%d" % (lo, 1 << b)
            nbytes = "%d-%d" % (1 if b == 0 else (lo - 1) * bpb + 1, (1 << b) * bpb)
        # Rounded up, so that every non-empty bucket shows at least one mark.
        lines.append("%-13s %-17s %6s %s" % (blocks, nbytes, _fmt_count(c), "#" * ((c * _BAR + top - 1) // top)))
    total = "total: %s allocations" % _total_str(size)
    if "+" in total:
        total += "; a count shown as 65535+ stopped there, so no bound on their bytes"
    elif size[last]:
        total += "; %d over %d blocks, so no bound on their bytes" % (size[last], 1 << (last - 1))
    else:
        total += ", at most %d bytes of heap (each at its bucket's largest size)" % hi
    lines.append(total)
    return "\n".join(lines)


def report(size, file=None):
    """Prints report_str(size), to file (anything with write) if given."""
    if file is None:
        print(report_str(size))
    else:
        file.write(report_str(size) + "\n")


def _probe(alarm):
    # Whether the alarm fired: one that fired is no longer active, so entering it succeeds, while
    # entering an active one raises RuntimeError. (The module's own errors trip no alarm, but
    # they are allocations, which is why this runs only when the counts cannot tell.) Leaves the
    # alarm exited either way.
    try:
        alarm.__enter__()
    except RuntimeError:
        alarm.__exit__()
        return False
    alarm.__exit__()
    return True


def _big(size, b):
    # Allocations counted in buckets b and above.
    n = 0
    while b < len(size):
        n += size[b]
        b += 1
    return n


# The last line of a broken budget's message.
_WHERE = "\nmmcheck.where(fn, *args) lists the allocations of a call by line"


class budget:
    """An allocation budget, as a context manager or a decorator.

    max_allocations=N: at most N allocations in all.
    minimum_block_count=M: no allocation of M blocks or more: the first one is stopped where it
    happens, by an AllocationAlarm(minimum_block_count=M), whose name this borrows.
    On failure, AssertionError, naming the limit and carrying report_str() of the counts. Any
    other exception from the body passes through unchanged. `.size` holds the counts of the
    last run.
    """

    def __init__(self, max_allocations=None, minimum_block_count=None):
        if max_allocations is None and minimum_block_count is None:
            raise ValueError("give max_allocations, minimum_block_count or both")
        if max_allocations is not None and max_allocations < 0:
            raise ValueError("max_allocations must be 0 or more")
        # Made here, not in __enter__: entering a budget must allocate nothing.
        self.size = AllocationSize()
        self.max_allocations = max_allocations
        self.minimum_block_count = minimum_block_count
        self._alarm = None
        # Whether a call of the decorated function is running: its inner calls (recursion) run
        # under that call's budget. Set here so that setting it later allocates nothing.
        self._calling = False
        if minimum_block_count is not None:
            self._alarm = AllocationAlarm(minimum_block_count=minimum_block_count)
            # The first bucket that can hold an allocation of minimum_block_count or more.
            b = 0
            while b < 15 and (1 << b) < minimum_block_count:
                b += 1
            self._bucket = b

    def __enter__(self):
        # Entering the same budget again raises the module's RuntimeError here, changing nothing.
        self.size.__enter__()
        if self._alarm is not None:
            self._alarm.__enter__()
        return self

    def __exit__(self, t, v, tb):
        self.size.__exit__()
        if self._fired(t):
            # (None: the body caught the AllocationError itself.)
            self._fail(v)
        if t is None and self._over():
            self._fail(False)
        return False

    def _over(self):
        return self.max_allocations is not None and _total(self.size) > self.max_allocations

    def _fired(self, t):
        # Whether this budget's own alarm stopped an allocation; exits the alarm. A fired alarm
        # counted an allocation of minimum_block_count or more, so without one there is nothing to probe:
        # the usual success path raises nothing. The counts alone cannot settle it: buckets are
        # powers of two, and they also count the allocations of exceptions raised meanwhile,
        # which no alarm stops. The body may have caught the AllocationError itself (t is None),
        # and another alarm's AllocationError is not ours.
        a = self._alarm
        if a is None:
            return False
        if t is None and _big(self.size, self._bucket) or t is not None and issubclass(t, AllocationError):
            return _probe(a)
        a.__exit__()
        return False

    def _fail(self, how):
        # Building the error allocates, and an outer AllocationAlarm that is still active (the
        # user's, or an enclosing budget's) may fire on that, putting its AllocationError in
        # place of this failure. An alarm that fired is stopped, so trying again gets further;
        # the message says so. (Unrolled, and the message built in another function: a loop
        # and locals here would make this frame too big for the C stack, and MicroPython would
        # take it from the heap, where the outer alarm could fire before the try.)
        try:
            raise self._error(how, 0)
        except AllocationError:
            pass
        try:
            raise self._error(how, 1)
        except AllocationError:
            pass
        raise self._error(how, 2)

    def _error(self, how, stopped):
        note = ""
        if stopped:
            note = "\n(%d outer AllocationAlarm(s) fired on this message's own allocations and are stopped now)" % stopped
        return AssertionError(self._message(how) + note)

    def _message(self, how):
        # how: False when max_allocations was exceeded; else the alarm fired, and how is its
        # AllocationError, or None if the body caught it.
        if how is not False:
            # The body was cut short, and the counts include the AllocationError's own
            # allocations: only the alarm is worth naming.
            why = "minimum_block_count=%d: an allocation of %d blocks or more was attempted (%s)" % (
                self.minimum_block_count,
                self.minimum_block_count,
                "its AllocationError was caught inside the body" if how is None else "AllocationError: %s" % how,
            )
        else:
            why = "max_allocations=%d, but %s allocations were counted" % (self.max_allocations, _total_str(self.size))
        return "allocation budget broken: " + why + "\n" + report_str(self.size) + _WHERE

    def __call__(self, f):
        # As a decorator: each call runs under this budget, with the same monitors; a call made
        # while one runs (the function calling itself, directly or through others) is part of
        # the outer call and counts in its budget. The call of f is inside the budget, so what
        # it costs counts: a frame too big for the C stack (see the note at the top), or a
        # closure whose closed-over variables and arguments are more than 5, is an allocation at
        # each call.
        def run(*args, **kwargs):
            # An inner call costs its arguments' tuple and dict, a frame that stays small.
            if self._calling:
                return _call(f, args, kwargs)
            return self._outer(f, args, kwargs)

        return run

    def _outer(self, f, args, kwargs):
        self._calling = True
        try:
            with self:
                return _call(f, args, kwargs)
        finally:
            self._calling = False


def _call(f, a, k):
    # f(*a, **k) builds an argument array on the heap, inside the budget: the common arities
    # are spelled out so that they allocate nothing.
    if k:
        return f(*a, **k)
    n = len(a)
    if n == 0:
        return f()
    if n == 1:
        return f(a[0])
    if n == 2:
        return f(a[0], a[1])
    if n == 3:
        return f(a[0], a[1], a[2])
    return f(*a)


def no_allocations():
    """A budget of no allocation at all; the first one is stopped where it happens."""
    return budget(max_allocations=0, minimum_block_count=1)


# where(): every allocation of a call, by line. An AllocationAlarm(minimum_block_count=1) with
# ignore(k) stops the k-th allocation of a call; the traceback of its AllocationError names the
# line. Where the interpreter cannot take an exception (interning a name, and its other *_maybe
# allocations), the alarm holds its error and raises it at the next allocation or as it exits.
# Such a trip k raises where trip k + 1 does, with the same traceback, and an AllocationSize beside
# each alarm counts the same for both (the error's own allocations, traceback entries included,
# are the same there); trips that raise where they stop differ by at least the stopped one.

_HELD = "(held: the interpreter's own, no exception possible there)"
_CALL = "(the call itself: fn's frame or arguments)"


class Sites:
    """The allocations of a call by site, as mmcheck.where() returns it: print() it, or read
    .rows: (file, line, function, count, blocks), most allocations first; file is None on the
    rows of allocations made where no exception is possible, and of the call itself."""

    def __init__(self, name, n, every, rows, bpb):
        self.name, self.allocations, self.every, self.rows, self.bytes_per_block = name, n, every, rows, bpb

    def __str__(self):
        if not self.allocations:
            return "%s: no allocations" % self.name
        head = "%s: %d allocations" % (self.name, self.allocations)
        if self.every > 1:
            head += ", one in %d placed (and the last); the counts are of those" % self.every
        sites = [func if file is None else "%s:%d in %s" % (file, line, func) for file, line, func, _, _ in self.rows]
        w = max([len(s) for s in sites] + [4])
        lines = [head, "%-*s %6s %7s %8s" % (w, "site", "count", "blocks", "bytes")]
        for site, (_, _, _, count, blocks) in zip(sites, self.rows):
            lines.append("%-*s %6d %7d %8d" % (w, site, count, blocks, blocks * self.bytes_per_block))
        return "\n".join(lines)


def where(fn, *args, **kwargs):
    """Every allocation of fn(*args, **kwargs), by the line that makes it (a Sites table). Calls
    fn once to count its N allocations, then N times more, stopping one allocation each time:
    fn must allocate the same way on each call, or where() raises RuntimeError."""
    return _where(1, fn, args, kwargs)


def where_every(every, fn, *args, **kwargs):
    """where(), stopping only every `every`th allocation (and the last): for calls too long to
    visit each one, on a board say. The counts are of the allocations visited."""
    if every < 1:
        raise ValueError("every must be 1 or more")
    return _where(every, fn, args, kwargs)


def _where(every, fn, args, kwargs):
    lines_of = _traceback_reader()
    size = AllocationSize()
    with size:
        _call(fn, args, kwargs)
    n = _total(size)
    counted = [size[b] for b in range(len(size))]
    ks = list(range(0, n, every))
    if n and ks[-1] != n - 1:
        ks.append(n - 1)
    trips = {}
    for k in ks:
        # Sampled, trip k + 1 is made too: it tells whether trip k was held.
        for t in (k, k + 1) if every > 1 else (k,):
            if t < n and t not in trips:
                trips[t] = _trip(fn, args, kwargs, t, n, lines_of)
    seen = [0] * len(size)
    sites = {}
    for k in ks:
        c, blocks, text, frame = trips[k]
        nxt = trips.get(k + 1)
        held = frame is False or nxt is not None and nxt[0] == c and nxt[2] == text
        seen[_bucket_of(blocks, len(size))] += 1
        row = sites.setdefault((None, 0, _HELD) if held else frame or (None, 0, _CALL), [0, 0])
        row[0] += 1
        row[1] += blocks
    if every == 1 and seen != counted:
        raise RuntimeError("mmcheck.where: %s allocated in other sizes when called again: %s "
                           "allocations by bucket, then %s" % (_name(fn), counted, seen))
    rows = [k + tuple(v) for k, v in sites.items()]
    rows.sort(key=lambda r: (-r[3], r[0] or "", r[1]))
    return Sites(_name(fn), n, every, rows, size.bytes_per_block)


def _name(fn):
    return getattr(fn, "__name__", "fn")


def _bucket_of(blocks, buckets):
    b = 0
    while b < buckets - 1 and (1 << b) < blocks:
        b += 1
    return b


def _trip(fn, args, kwargs, k, n, lines_of):
    # Calls fn with its k-th allocation stopped: (allocations the size beside the alarm counted,
    # blocks of the stopped allocation, the traceback, its site: (file, line, function), None for
    # the call itself, False where the error was raised at the alarm's exit).
    size = AllocationSize()
    alarm = AllocationAlarm(minimum_block_count=1)
    alarm.ignore(k)
    err, at_exit = _stopped(fn, args, kwargs, size, alarm)
    if err is None:
        raise RuntimeError("mmcheck.where: %s made %d allocations the first time, fewer when called "
                           "again (a first call that creates names or fills a cache: call it once before)"
                           % (_name(fn), n))
    msg = str(err)
    # The traceback without its last line, the message, which names the stopped allocation.
    text = lines_of(err).rstrip("\n")
    text = text[: text.rfind("\n")]
    blocks = int(msg[msg.find("allocate ") + 9:].split()[0])
    return _total(size), blocks, text, False if at_exit else _site(text)


def _stopped(fn, args, kwargs, size, alarm):
    size.__enter__()
    alarm.__enter__()
    try:
        _call(fn, args, kwargs)
    except AllocationError as e:
        size.__exit__()
        if _probe(alarm):
            return e, False
        raise  # another alarm's: the user's own, active around where()
    except BaseException:
        size.__exit__()
        _probe(alarm)
        raise
    size.__exit__()
    try:
        caught = _probe(alarm)
    except AllocationError as e:
        return e, True  # held until the alarm's exit
    if caught:
        raise RuntimeError("mmcheck.where: %s caught an AllocationError itself: its lines cannot be read" % _name(fn))
    return None, False


def _site(text):
    # The innermost frame of a traceback below _stopped's and _call's: (file, line, function), or
    # None where the allocation was the call itself.
    frames = []
    for line in text.split("\n"):
        line = line.strip()
        if line.startswith('File "'):
            file, rest = line[6:].split('", line ', 1)
            num, _, func = rest.partition(", in ")
            frames.append((file, int(num), func))
    return frames[-1] if len(frames) > 2 else None


def _traceback_reader():
    # How this interpreter writes a traceback as text, found once per where(): looking for a
    # module that is not there searches the file system each time.
    try:
        import traceback  # CircuitPython's, on its full builds

        return lambda err: "".join(traceback.format_exception(err))
    except ImportError:
        pass
    import io
    import sys

    if not hasattr(sys, "print_exception"):
        raise RuntimeError("mmcheck.where: no traceback module and no sys.print_exception to read lines with")

    def text(err):
        buf = io.StringIO()
        sys.print_exception(err, buf)
        return buf.getvalue()

    return text
