#!/usr/bin/env python3
"""write-section.py FILE NAME: replaces what stands between the lines `<!-- NAME -->` and
`<!-- /NAME -->` of FILE with standard input, so that the command that measures a figure is the
one that writes it into the docs. Fails, changing nothing, when FILE lacks either line.
"""
import sys

path, name = sys.argv[1:3]
begin, end = "<!-- %s -->\n" % name, "<!-- /%s -->\n" % name
text = open(path).read()
if begin not in text or end not in text.split(begin, 1)[1]:
    sys.exit("write-section.py: %s has no section %s" % (path, name))
head, rest = text.split(begin, 1)
tail = rest.split(end, 1)[1]
with open(path, "w") as f:
    f.write(head + begin + sys.stdin.read() + end + tail)
print("wrote the %s section of %s" % (name, path))
