"""bench_choosing.py - the Python twin of bench_choosing.c: the same prime
count (same blocks, same split) with threading and multiprocessing, and
the same 16 slow requests one after another, with a thread each and with
asyncio.  Threads do not speed up the count: the GIL lets one run at a
time.  Prints bench<TAB>id<TAB>value<TAB>unit<TAB>what lines."""
import asyncio
import multiprocessing as mp
import socket
import struct
import threading
import time

CPU_N = 1_000_000
BLOCK = 1024           # CPU_BLOCK in cpu.h
IO_CONNS = 16
IO_DELAY = 0.05
REPLY_ADD = 1000       # IO_REPLY_ADD in io.h


def is_prime(x):
    if x < 2:
        return False
    if x % 2 == 0:
        return x == 2
    d = 3
    while d * d <= x:
        if x % d == 0:
            return False
        d += 2
    return True


def count_part(n, part, parts):
    return sum(sum(1 for x in range(lo, min(lo + BLOCK, n)) if is_prime(x))
               for lo in range(part * BLOCK, n, parts * BLOCK))


def with_threads(n, k):
    parts = [0] * k                      # one slot per thread, as in C

    def work(i):
        parts[i] = count_part(n, i, k)
    ts = [threading.Thread(target=work, args=(i,)) for i in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(parts)


def child(q, n, i, k):
    q.put(count_part(n, i, k))


def with_processes(n, k):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    ps = [ctx.Process(target=child, args=(q, n, i, k)) for i in range(k)]
    for p in ps:
        p.start()
    total = sum(q.get() for _ in ps)
    for p in ps:
        p.join()
    return total


def timed(f, *args):
    t0 = time.perf_counter()
    f(*args)
    return time.perf_counter() - t0


# ---- the I/O-bound job --------------------------------------------------------

async def handle(reader, writer):
    data = await reader.readexactly(4)
    await asyncio.sleep(IO_DELAY)
    (rid,) = struct.unpack("=I", data)
    writer.write(struct.pack("=I", rid + REPLY_ADD))
    await writer.drain()
    writer.close()


def serve(port_q):
    async def main():
        srv = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
        port_q.put(srv.sockets[0].getsockname()[1])
        await asyncio.Event().wait()
    asyncio.run(main())


def fetch(port, rid):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(struct.pack("=I", rid))
        got = b""
        while len(got) < 4:
            chunk = s.recv(4 - len(got))
            if not chunk:
                raise ConnectionError("server closed early")
            got += chunk
    assert struct.unpack("=I", got)[0] == rid + REPLY_ADD


def io_threads(port):
    ts = [threading.Thread(target=fetch, args=(port, i)) for i in range(IO_CONNS)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


async def afetch(port, rid):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(struct.pack("=I", rid))
    await writer.drain()
    got = await reader.readexactly(4)
    writer.close()
    assert struct.unpack("=I", got)[0] == rid + REPLY_ADD


def io_loop(port):
    async def main():
        await asyncio.gather(*(afetch(port, i) for i in range(IO_CONNS)))
    asyncio.run(main())


def main():
    rows = [("cpu_1thread", timed(with_threads, CPU_N, 1), "primes below 1M, 1 thread"),
            ("cpu_2threads", timed(with_threads, CPU_N, 2), "primes below 1M, 2 threads (Python: held by the GIL)"),
            ("cpu_1process", timed(with_processes, CPU_N, 1), "primes below 1M, 1 child process"),
            ("cpu_2processes", timed(with_processes, CPU_N, 2), "primes below 1M, 2 child processes")]
    port_q = mp.get_context("fork").Queue()
    srv = mp.get_context("fork").Process(target=serve, args=(port_q,), daemon=True)
    srv.start()
    port = port_q.get()
    rows += [("io_one_by_one", timed(lambda: [fetch(port, i) for i in range(IO_CONNS)]),
              "16 requests answered after 50 ms, one after another"),
             ("io_threads", timed(io_threads, port), "16 requests answered after 50 ms, a thread each"),
             ("io_loop", timed(io_loop, port), "16 requests answered after 50 ms, one event loop (Python: asyncio)")]
    srv.terminate()
    srv.join()
    for metric, value, what in rows:
        print("bench\t%s\t%.4f\ts\t%s" % (metric, value, what))


if __name__ == "__main__":
    main()
