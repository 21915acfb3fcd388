"""bench_pool.py - the Python twin of bench_pool.c: a two-worker Pool
running a trivial task, one by one with apply_async and in chunks with
map, and the rates."""
import multiprocessing as mp
import time

WORKERS = 2
ASYNC_TASKS = 20000
MAP_ITEMS = 200000


def square(x):
    return x * x


def async_rate(pool):
    t0 = time.perf_counter()
    results = [pool.apply_async(square, (i,)) for i in range(ASYNC_TASKS)]
    for i, r in enumerate(results):
        assert r.get() == i * i
    return ASYNC_TASKS / (time.perf_counter() - t0)


def map_rate(pool, n, chunksize):
    items = [i % 1000 for i in range(n)]
    t0 = time.perf_counter()
    out = pool.map(square, items, chunksize)
    rate = n / (time.perf_counter() - t0)
    assert out == [x * x for x in items]
    return rate


def main():
    ctx = mp.get_context("fork")
    with ctx.Pool(WORKERS) as pool:
        map_rate(pool, 1000, 1)
        print("bench\tpool_apply_async\t%.0f\ttasks/s\tPool(2).apply_async(f) x 20k, then get() each" % async_rate(pool))
        print("bench\tpool_map_chunk1\t%.0f\ttasks/s\tPool(2).map(f, range(20k), chunksize=1)" % map_rate(pool, ASYNC_TASKS, 1))
        print("bench\tpool_map_default\t%.0f\titems/s\tPool(2).map(f, range(200k)), default chunksize" % map_rate(pool, MAP_ITEMS, None))


if __name__ == "__main__":
    main()
