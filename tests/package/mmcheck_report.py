# mmcheck.report_str and report: the lines, block and byte ranges, counts, bars and totals. Byte
# figures are printed as multiples of the block size B, so the output is the same for 16- and
# 32-byte blocks.
from memorymonitor import AllocationSize
from mmcheck import report, report_str

BPB = AllocationSize.bytes_per_block


def in_blocks(x):
    # 64 -> "2B", 65 -> "2B+1": a byte figure in terms of the block size.
    x = int(x)
    if x == 1:
        return "1"
    if x % BPB == 0:
        return "%dB" % (x // BPB)
    if x % BPB == 1:
        return "%dB+1" % (x // BPB)
    return "?%d" % x


def norm(text):
    out = []
    for line in text.split("\n"):
        if line.startswith("total:") and " bytes of heap" in line:
            words = line.split(" ")
            i = words.index("bytes")
            words[i - 1] = in_blocks(words[i - 1])
            line = " ".join(words)
        elif line[:1].isdigit():
            # The bytes column: "a-b" or "a+".
            field = line[14:31].strip()
            if field.endswith("+"):
                field = in_blocks(field[:-1]) + "+"
            else:
                lo, hi = field.split("-")
                field = in_blocks(lo) + "-" + in_blocks(hi)
            line = line[:14] + "%-17s" % field + line[31:]
        out.append(line)
    return "\n".join(out)


# What one bytearray costs, measured rather than assumed: its object, then its data, each an
# allocation of its own (a bytearray of n blocks of data: 1 block, then n blocks).
mm = AllocationSize()


def one(n):
    with mm:
        bytearray(n * BPB)
    return [(b, mm[b]) for b in range(16) if mm[b]]


print("measured:", one(1), one(2), one(3), one(100))

# Known allocations: 3 of 1 block of data, 1 of 2, 1 of 3 and 1 of 4 (bucket 2: 3-4 blocks), 1 of
# 100 (bucket 7: 65-128 blocks), so bucket 0 holds 7 objects and 3 data blocks. The list is made
# beforehand: a list that grows is an allocation too.
keep = [None] * 7
with mm:
    keep[0] = bytearray(BPB)
    keep[1] = bytearray(BPB)
    keep[2] = bytearray(BPB)
    keep[3] = bytearray(2 * BPB)
    keep[4] = bytearray(3 * BPB)
    keep[5] = bytearray(4 * BPB)
    keep[6] = bytearray(100 * BPB)
r = report_str(mm)
print(norm(r))
# The bound in the total line, computed here from the buckets: 10 of 1 block, 1 of 2, 2 of 4,
# 1 of 128.
print("upper bound:", ("%d bytes of heap" % ((10 + 2 + 8 + 128) * BPB)) in r)

# An empty monitor, and report() to a file-like object.
empty = AllocationSize()
print(report_str(empty) == "no allocations (%d bytes per block)" % BPB)
with empty:
    pass
print(report_str(empty).split(" (")[0])


class Sink:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)


sink = Sink()
report(mm, file=sink)
print("report(file=):", sink.parts == [r + "\n"])
