"""bench_process.py - the Python twin of bench_process.c: start and join
a do-nothing child with the fork start method, and print the rate."""
import multiprocessing as mp
import time

ROUNDS = 200


def do_nothing():
    pass


def main():
    ctx = mp.get_context("fork")
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        p = ctx.Process(target=do_nothing)
        p.start()
        p.join()
    rate = ROUNDS / (time.perf_counter() - t0)
    print("bench\tprocess_start_join\t%.1f\tprocs/s\tProcess(target=f).start() + join(), fork method" % rate)


if __name__ == "__main__":
    main()
