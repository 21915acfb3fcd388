"""bench_subprocess.py - the Python twin of bench_subprocess.c: how many
times per second subprocess.run(['/bin/true']) completes, and a small
communicate() round trip through cat."""
import subprocess
import time

ROUNDS = 500


def run_rate():
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        subprocess.run(['/bin/true'], check=True)
    return ROUNDS / (time.perf_counter() - t0)


def communicate_rate():
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        p = subprocess.Popen(['/bin/cat'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        out, _ = p.communicate(b'hello')
        assert out == b'hello'
    return ROUNDS / (time.perf_counter() - t0)


def main():
    print("bench\tsubprocess_run_true\t%.1f\truns/s\trun(['/bin/true'])" % run_rate())
    print("bench\tsubprocess_communicate\t%.1f\truns/s\tPopen(['cat'], stdin=PIPE, stdout=PIPE).communicate(b'hello')"
          % communicate_rate())


if __name__ == "__main__":
    main()
