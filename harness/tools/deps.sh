#!/usr/bin/env bash
# deps.sh - install what the kit needs from the distribution's packages.
# Idempotent; as root it installs, otherwise it prints the sudo line.
set -euo pipefail

# Why each package is here:
#   build-essential clang     the two compilers the solutions must build warning-free with
#   libcriterion-dev          the test framework (not in the base image)
#   valgrind libc6-dbg        Helgrind, DRD, memcheck; libc symbols for lock owners in stack dumps
#   gdb                       stack dumps of hung tests (harness/lib/kit_stacks.py)
#   libtsan2                  ThreadSanitizer runtime for gcc (clang ships its own)
#   pkg-config patch          build flags; applying mutants to a copy of a solution
#   portaudio19-dev libsndfile1-dev alsa-utils libasound2-plugins   the recorder lab (05)
#   python3 python3-greenlet python3-gevent   the runner and the Python side-by-side comparisons
#   libssl-dev                HMAC-SHA256 for the authenticated manager over TCP (lab 04)
#   gnuplot-nox               the plots of make bench and lab 13
#   procps psmisc             ps/pgrep for humans reading a failure
PKGS=(build-essential clang libcriterion-dev valgrind libc6-dbg gdb libtsan2
      pkg-config patch portaudio19-dev libsndfile1-dev alsa-utils libasound2-plugins
      python3 python3-greenlet python3-gevent libssl-dev gnuplot-nox procps psmisc)

if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: no apt-get here. Install the equivalents of: ${PKGS[*]}" >&2
    echo "deps: (Criterion >= 2.4, Valgrind >= 3.19, gdb, gcc with libtsan, clang, PortAudio, libsndfile, Python 3)" >&2
    exit 1
fi

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: everything is installed"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing: ${missing[*]}" >&2
    echo "deps: run:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "deps: done"
