"""bench_threads.py - the Python twin of bench_threads.c: start and join a
do-nothing threading.Thread, and print the rate.  The bare-pthread line
has no Python counterpart, so it prints _thread.start_new_thread with a
lock as the nearest thing."""
import _thread
import threading
import time

ROUNDS = 20000


def do_nothing():
    pass


def thread_rate():
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        t = threading.Thread(target=do_nothing)
        t.start()
        t.join()
    return ROUNDS / (time.perf_counter() - t0)


def raw_rate():
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        done = _thread.allocate_lock()
        done.acquire()
        _thread.start_new_thread(done.release, ())
        done.acquire()
    return ROUNDS / (time.perf_counter() - t0)


def main():
    print("bench\tthread_start_join\t%.0f\tthreads/s\tThread(target=f).start() + join()" % thread_rate())
    print("bench\tpthread_create_join\t%.0f\tthreads/s\tbare pthread_create + pthread_join (no object, no registry)" % raw_rate())


if __name__ == "__main__":
    main()
