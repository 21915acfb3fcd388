"""bench_ipc.py - the Python twin of bench_ipc.c: multiprocessing.Queue
throughput between two processes and Pipe round trips, fork start method."""
import multiprocessing as mp
import time

QUEUE_MSGS = 100000
ROUND_TRIPS = 10000


def produce(q, n):
    for i in range(n):
        q.put(i)


def echo(conn, other):
    other.close()   # else this process keeps the parent's end open: no EOF
    try:
        while True:
            conn.send_bytes(conn.recv_bytes())
    except EOFError:
        pass


def queue_rate(ctx):
    q = ctx.Queue(1000)
    p = ctx.Process(target=produce, args=(q, QUEUE_MSGS))
    p.start()
    q.get()
    t0 = time.perf_counter()
    for i in range(1, QUEUE_MSGS):
        if q.get() != i:
            raise SystemExit("bench_ipc.py: out of order")
    rate = (QUEUE_MSGS - 1) / (time.perf_counter() - t0)
    p.join()
    return rate


def pipe_rate(ctx):
    a, b = ctx.Pipe()
    p = ctx.Process(target=echo, args=(b, a))
    p.start()
    b.close()
    msg = (12345).to_bytes(8, "little")
    t0 = time.perf_counter()
    for _ in range(ROUND_TRIPS):
        a.send_bytes(msg)
        a.recv_bytes()
    rate = ROUND_TRIPS / (time.perf_counter() - t0)
    a.close()
    p.join()
    return rate


def main():
    ctx = mp.get_context("fork")
    print("bench\tqueue_msgs\t%.0f\tmsgs/s\tQueue(1000): one producer process -> one consumer, small messages" % queue_rate(ctx))
    print("bench\tpipe_rtt\t%.0f\tround trips/s\tPipe(): send + recv of a small message, echo child" % pipe_rate(ctx))


if __name__ == "__main__":
    main()
