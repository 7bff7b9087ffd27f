#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/run.sh BUILD_DIR - run every benchmark and print its figures (docs/BENCHMARKS.md quotes them).
# Needs root for the sshfs part (a loopback sshd and a FUSE mount); skipped otherwise.
set -u
B=$(cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
export WARROOM_BIN="$B/warroom" WARROOM_BINDIR="$B" WARROOM_SRCDIR="$HERE/.."
. "$HERE/../tests/sh/lib.sh"
echo "== machine: $(nproc) cores, $(uname -r), $(df -T "$T" | awk 'NR==2{print $2}') under $T"

echo; echo "== write throughput (16 processes x 200 events)"
"$B/bench_write" "$T" 16 200

echo; echo "== propagation, local disk"
"$B/bench_propagation" "$T/prop.db" 1000 5

echo; echo "== timeline paging, 1,000,000 events"
"$B/bench_timeline" "$T/big.db" 1000000

echo; echo "== alerts through alert --http (1, 100 and 5000 alerts per request)"
"$B/bench_alert_http" "$B/warroom" "$T"

if [ -x "$B/bench_console" ]; then
  echo; echo "== console"
  "$B/bench_console" "$B/warroom" "$T"
fi

echo; echo "== a crowded war room: 100 consoles, 16 writers (bench_crowd)"
"$B/bench_crowd" "$B/warroom" "$T" 100 16 60 30

echo; echo "== PostgreSQL beside SQLite: propagation host to host, write throughput (bench/pg.sh)"
bash "$HERE/pg.sh" "$B"
case $? in 0) ;; 77) ;; *) echo "bench/pg.sh failed" ;; esac

. "$HERE/../tests/sh/sshd_lib.sh"
if command -v sshfs >/dev/null && sshd_start; then
  home=$(getent passwd "$SSH_USER" | cut -d: -f6)
  share="$home/bench-$$"; install -d -o "$SSH_USER" "$share"
  if sshfs_mount "$share" "$T/m"; then
    echo; echo "== propagation, sshfs mount (loopback sshd, caching off)"
    "$B/bench_propagation" "$T/m/prop.db" 1000 5
    echo; echo "== write throughput on the sshfs mount (16 processes x 50 events)"
    "$B/bench_write" "$T/m" 16 50
    fusermount -u "$T/m"
  fi
  sshd_stop
fi
