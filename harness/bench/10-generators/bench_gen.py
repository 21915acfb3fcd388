"""bench_gen.py - the Python twin of bench_gen.c: greenlet's switch,
next(gen), gen.send, a generator's whole life, and a class iterator
(the notes' FibIterator) where C uses a state machine."""
import time

from greenlet import greenlet, getcurrent

SWITCHES = 2000000
STEPS = 3000000
LIVES = 500000


def switch_ns():
    main = getcurrent()

    def bounce():
        while True:
            main.switch()

    other = greenlet(bounce)
    t0 = time.perf_counter()
    for _ in range(SWITCHES // 2):
        other.switch()
    return (time.perf_counter() - t0) * 1e9 / SWITCHES


def count():
    n = 0
    while True:
        sent = yield n
        n += 1 + (sent or 0)


def step_ns(send):
    g = count()
    next(g)
    t0 = time.perf_counter()
    if send:
        for _ in range(STEPS):
            g.send(1)
    else:
        for _ in range(STEPS):
            next(g)
    return (time.perf_counter() - t0) * 1e9 / STEPS


def once():
    yield None


def life_ns():
    t0 = time.perf_counter()
    for _ in range(LIVES):
        g = once()
        next(g)
        try:
            next(g)
        except StopIteration:
            pass
    return (time.perf_counter() - t0) * 1e9 / LIVES


class FibIterator:
    def __init__(self, n):
        self.n, self.a, self.b, self.current = n, 0, 1, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.current >= self.n:
            raise StopIteration
        ret = self.a
        self.a, self.b = self.b, self.a + self.b
        self.current += 1
        return ret


def stackless_ns():
    done = 0
    t0 = time.perf_counter()
    while done < STEPS:
        it = FibIterator(90)
        while True:
            try:
                next(it)
            except StopIteration:
                break
            done += 1
    return (time.perf_counter() - t0) * 1e9 / done


def main():
    print("bench\tswitch\t%.1f\tns\tone context switch (C: ctx_switch, asm; Python: greenlet.switch)" % switch_ns())
    print("bench\tgen_next\t%.1f\tns\tone step of a running generator: next(g)" % step_ns(False))
    print("bench\tgen_send\t%.1f\tns\tone step with a value sent in: g.send(1)" % step_ns(True))
    print("bench\tgen_life\t%.1f\tns\ta generator made, one value, StopIteration, freed" % life_ns())
    print("bench\tstackless_next\t%.1f\tns\tone step of a stackless Fibonacci (C: state machine; Python: a class with __next__)" % stackless_ns())


if __name__ == "__main__":
    main()
