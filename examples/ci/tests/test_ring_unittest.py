# unittest-style: a broken budget is an AssertionError inside the test method, so unittest
# reports it as a failure with the budget's report.
import unittest

import mmcheck
from ring import Ring


class TestRing(unittest.TestCase):
    def setUp(self):
        self.r = Ring(4)

    def test_push_is_allocation_free(self):
        r = self.r
        with mmcheck.no_allocations():
            r.push(1)
            r.push(2)
        self.assertEqual(len(r), 2)

    @mmcheck.no_allocations()
    def test_pop_is_allocation_free(self):
        self.r.push(7)  # not the first push: setUp made the ring
        self.r.pop()

    def test_budget_failure_is_a_test_failure(self):
        # What a user sees when a limit breaks, checked rather than shown.
        with self.assertRaises(AssertionError):
            with mmcheck.no_allocations():
                self.r.snapshot()

    def test_empty_pop(self):
        with self.assertRaises(IndexError):
            self.r.pop()


if __name__ == "__main__":
    # micropython-lib's unittest.main() returns the result rather than exiting: CI needs the
    # exit status.
    if not unittest.main().wasSuccessful():
        raise SystemExit(1)
