# Allocation churn: many small and some larger short-lived objects, little else.
def churn(rounds):
    keep = None
    for i in range(rounds):
        a = [i, i + 1, i + 2]
        s = "x%d" % i
        b = bytearray(i % 200)
        d = {"k": a, "s": s}
        t = (a, b, d)
        if i % 64 == 0:
            keep = [t] * (i % 7 + 1)
    return keep


churn(20000)
