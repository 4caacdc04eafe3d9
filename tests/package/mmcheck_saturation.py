# mmcheck.report_str on counts the module cannot hold exactly: a saturated bucket (65535, shown
# as 65535+), and the last bucket, which has no upper bound. Fixed counts come from a stand-in
# with the same interface and 16-byte blocks; a real budget's monitor is saturated at the end.
from mmcheck import budget, report_str


class Counts:
    bytes_per_block = 16

    def __init__(self, counts):
        self.counts = counts + [0] * (16 - len(counts))

    def __len__(self):
        return 16

    def __getitem__(self, i):
        return self.counts[i]


print(report_str(Counts([65535, 0, 0, 3])))
print(report_str(Counts([2] + [0] * 13 + [1, 4])))
print(report_str(Counts([0] * 15 + [65535])))
print(report_str(Counts([0, 0, 60])))

# A real monitor: 70000 allocations of one block (a bytearray's object), under a budget, in a
# function so that nothing else is allocated but the range.
b = budget(max_allocations=10)


def many():
    try:
        with b:
            for _ in range(70000):
                bytearray(0)
    except AssertionError as e:
        return str(e).split("\n")[0]


print(many())
lines = report_str(b.size).split("\n")
print(lines[1].split()[0], lines[1].split()[2], lines[-1].split(";")[0])
