# mmcheck.where(): every allocation of a call, by line. The code under test comes before mmcheck's
# import, so that its line numbers are the same where mmcheck's source is put in place of that
# import (on a board). "<string>" stands for another module: code compiled from a string.
ns = {}
exec("def other(n):\n    return bytearray(n)\n", ns)
other = ns["other"]
WORD = "abc" * 5


def known(tag):
    items = [tag, tag + 1, tag + 2]
    text = WORD + "def"
    for _ in range(5):
        buf = bytearray(10)
    return other(50), items, text


calls = []


def growing():
    # Each call allocates a bytearray twice the size of the last one's: not deterministic.
    calls.append(0)
    return bytearray(16 << len(calls))


def parses():
    # The parser takes its chunks where no exception is possible: the held row.
    return eval("[1, 2] + [3]")


import mmcheck

known(7)
t = mmcheck.where(known, 7)
# Rows of equal counts sorted by line: the order of their file names differs between hosts.
for file, line, func, count, blocks in sorted(t.rows, key=lambda r: (-r[3], r[1])):
    print(file if file in (None, "<string>") else "this file", line, func, count)
print("all placed", sum(r[3] for r in t.rows) == t.allocations)
print("bytes", str(t).split("\n")[2].split()[-1] == "%d" % (t.rows[0][4] * t.bytes_per_block))
print("every 2nd", sorted([(-r[3], r[1]) for r in mmcheck.where_every(2, known, 7).rows if r[0] is not None]))

try:
    mmcheck.where(growing)
    print("growing: not refused")
except RuntimeError as e:
    print("growing refused:", str(e).split(":")[0])

parses()
held = [r for r in mmcheck.where(parses).rows if r[0] is None]
print("held row", [r[2][:5] for r in held], [r[3] > 0 for r in held])
print("none", mmcheck.where(len, "abc"))

# The caller's own monitors keep working around it: a size counts on, an alarm stays armed.
import memorymonitor

mine = memorymonitor.AllocationSize()
armed = memorymonitor.AllocationAlarm(minimum_block_count=100000)
with mine:
    with armed:
        inside = mmcheck.where(known, 7)
        try:
            armed.__enter__()
        except RuntimeError:
            print("alarm still active")
print("same table inside", inside.rows == t.rows, "counted", sum(mine[b] for b in range(len(mine))) > t.allocations)


def catches():
    try:
        return [1, 2]
    except Exception:
        return None


try:
    mmcheck.where(catches)
    print("catches: not refused")
except RuntimeError as e:
    print("catches refused:", "caught an AllocationError itself" in str(e))
