# A fixed-size ring of recent sensor readings (small ints), for a main loop that must not touch
# the heap once the ring exists: push, pop, peek, len and total allocate nothing.


class Ring:
    def __init__(self, capacity):
        self._buf = [0] * capacity
        self._start = 0
        self._n = 0

    def __len__(self):
        return self._n

    def push(self, value):
        # A full ring drops its oldest reading.
        cap = len(self._buf)
        self._buf[(self._start + self._n) % cap] = value
        if self._n < cap:
            self._n += 1
        else:
            self._start = (self._start + 1) % cap

    def pop(self):
        if not self._n:
            raise IndexError("empty ring")
        value = self._buf[self._start]
        self._start = (self._start + 1) % len(self._buf)
        self._n -= 1
        return value

    def peek(self, i):
        # The i-th oldest reading.
        return self._buf[(self._start + i) % len(self._buf)]

    def total(self):
        t = i = 0
        while i < self._n:
            t += self.peek(i)
            i += 1
        return t

    def snapshot(self):
        # For reports, not for the main loop: a new list, oldest first.
        return [self.peek(i) for i in range(self._n)]
