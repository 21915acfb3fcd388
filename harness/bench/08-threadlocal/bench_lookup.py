"""bench_lookup.py - the Python twin of bench_lookup.c: find the current
thread's student through threading.local, or through a global dict keyed
by the current thread behind a Lock; one thread, then two."""
import threading
import time

WORKS = 50000
STEPS = 4          # lookups per work(), as CONTEXT_STEPS_PER_WORK

local_school = threading.local()
global_dict = {}
dict_lock = threading.Lock()


class Student:
    def __init__(self, name):
        self.name = name
        self.steps = 0


def local_step():
    local_school.student.steps += 1


def map_step():
    with dict_lock:
        global_dict[threading.current_thread()].steps += 1


def worker(use_map):
    if use_map:
        with dict_lock:
            global_dict[threading.current_thread()] = Student("bench")
    else:
        local_school.student = Student("bench")
    step = map_step if use_map else local_step
    for _ in range(WORKS * STEPS):
        step()
    if use_map:
        with dict_lock:
            del global_dict[threading.current_thread()]


def rate(use_map, threads):
    ts = [threading.Thread(target=worker, args=(use_map,)) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return threads * WORKS * STEPS / (time.perf_counter() - t0)


def main():
    print("bench\tlocal_lookup_1t\t%.0f\tlookups/s\tthread-local lookup (local_school.student), 1 thread" % rate(False, 1))
    print("bench\tlocal_lookup_2t\t%.0f\tlookups/s\tthread-local lookup, 2 threads together" % rate(False, 2))
    print("bench\tmap_lookup_1t\t%.0f\tlookups/s\tlocked global map lookup (global_dict[current_thread()]), 1 thread" % rate(True, 1))
    print("bench\tmap_lookup_2t\t%.0f\tlookups/s\tlocked global map lookup, 2 threads together" % rate(True, 2))


if __name__ == "__main__":
    main()
