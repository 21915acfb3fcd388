"""bench_event.py - the Python twin of bench_event.c: an Event ping-pong
between two threads, and queue.Queue items from one thread to another."""
import queue
import threading
import time

ROUNDS = 20000
ITEMS = 200000


def ping_pong_rate():
    ping, pong = threading.Event(), threading.Event()

    def ponger():
        for _ in range(ROUNDS):
            ping.wait()
            ping.clear()
            pong.set()

    t = threading.Thread(target=ponger)
    t.start()
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        ping.set()
        pong.wait()
        pong.clear()
    took = time.perf_counter() - t0
    t.join()
    return ROUNDS / took


def queue_rate():
    q = queue.Queue()

    def consumer():
        for _ in range(ITEMS):
            q.get()

    t = threading.Thread(target=consumer)
    t.start()
    t0 = time.perf_counter()
    for i in range(ITEMS):
        q.put(i)
    t.join()
    return ITEMS / (time.perf_counter() - t0)


def main():
    print("bench\tevent_ping_pong\t%.0f\tround trips/s\tEvent set/wait/clear ping-pong between 2 threads" % ping_pong_rate())
    print("bench\tqueue_thread_to_thread\t%.0f\titems/s\tQueue() put by one thread, get by another" % queue_rate())


if __name__ == "__main__":
    main()
