"""bench_locks.py - the Python twin of bench_locks.c: threading.Lock with
no contention and with 2 threads, RLock and Semaphore uncontended, and the
counter strategies (2 threads x 1 000 000 increments)."""
import itertools
import threading
import time

PAIRS = 1000000
CONTENDED_PAIRS = 200000
INCREMENTS = 1000000


def lock_pairs(lock, n):
    acquire, release = lock.acquire, lock.release
    t0 = time.perf_counter()
    for _ in range(n):
        acquire()
        release()
    return time.perf_counter() - t0


def contended_rate():
    lock = threading.Lock()
    threads = [threading.Thread(target=lock_pairs, args=(lock, CONTENDED_PAIRS)) for _ in range(2)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return 2 * CONTENDED_PAIRS / (time.perf_counter() - t0)


def counter_rate(kind):
    state = {"n": 0}
    lock = threading.Lock()
    counter = itertools.count()

    def unsafe():
        for _ in range(INCREMENTS):
            state["n"] += 1

    def lock_each():
        for _ in range(INCREMENTS):
            with lock:
                state["n"] += 1

    def lock_batch():
        mine = 0
        for _ in range(INCREMENTS):
            mine += 1
            if mine == 1000:
                with lock:
                    state["n"] += mine
                mine = 0
        with lock:
            state["n"] += mine

    def atomic():
        for _ in range(INCREMENTS):
            next(counter)

    fn = {"unsafe": unsafe, "lock_each": lock_each, "lock_batch": lock_batch, "atomic": atomic}[kind]
    threads = [threading.Thread(target=fn) for _ in range(2)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return 2 * INCREMENTS / (time.perf_counter() - t0)


def main():
    rows = [
        ("lock_uncontended", PAIRS / lock_pairs(threading.Lock(), PAIRS), "pairs/s", "Lock acquire()+release(), one thread"),
        ("lock_contended_2", contended_rate(), "pairs/s", "Lock acquire()+release(), 2 threads on one lock, total"),
        ("rlock_uncontended", PAIRS / lock_pairs(threading.RLock(), PAIRS), "pairs/s", "RLock acquire()+release(), one thread"),
        ("semaphore_uncontended", PAIRS / lock_pairs(threading.Semaphore(1), PAIRS), "pairs/s", "Semaphore acquire()+release(), one thread"),
    ]
    for kind in ("unsafe", "lock_each", "lock_batch", "atomic"):
        rows.append(("counter_" + kind, counter_rate(kind), "incr/s", "counter strategy " + kind))
    for metric, value, unit, what in rows:
        print("bench\t%s\t%.0f\t%s\t%s" % (metric, value, unit, what))


if __name__ == "__main__":
    main()
