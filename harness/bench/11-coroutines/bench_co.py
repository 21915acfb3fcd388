"""bench_co.py - the Python twin of bench_co.c: greenlet's switch
(ping-pong with a value each way) and gevent.spawn(noop).join()."""
import time

import gevent
from greenlet import getcurrent, greenlet

SWITCH_ROUNDS = 300000
SPAWN_ROUNDS = 20000


def switch_ns():
    main = getcurrent()

    def bounce(x):
        while True:
            x = main.switch(x)

    g = greenlet(bounce)
    t0 = time.perf_counter()
    for i in range(SWITCH_ROUNDS):
        g.switch(i)
    took = time.perf_counter() - t0
    return took / (2 * SWITCH_ROUNDS) * 1e9


def noop():
    return None


def spawn_join_rate():
    t0 = time.perf_counter()
    for _ in range(SPAWN_ROUNDS):
        gevent.spawn(noop).join()
    return SPAWN_ROUNDS / (time.perf_counter() - t0)


def main():
    print("bench\tco_switch\t%.1f\tns\tone switch (ping-pong with a value each way, per switch)" % switch_ns())
    print("bench\tco_spawn_join\t%.0f\ttasks/s\tspawn(noop) + join, one at a time" % spawn_join_rate())


if __name__ == "__main__":
    main()
