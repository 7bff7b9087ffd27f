#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/compare.sh OLD_BUILD NEW_BUILD - two builds side by side in one session, alternating, on the same
# machine: write throughput and propagation on an sshfs mount (twice each), then timeline paging on the local
# disk. For changes to the store's locking and reading; docs/BENCHMARKS.md quotes its output.
# Needs root (a loopback sshd and a FUSE mount).
set -u
OLD=$(cd "$1" && pwd) NEW=$(cd "$2" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
export WARROOM_BIN="$NEW/warroom" WARROOM_BINDIR="$NEW" WARROOM_SRCDIR="$HERE/.."
. "$HERE/../tests/sh/lib.sh"
. "$HERE/../tests/sh/sshd_lib.sh"
command -v sshfs >/dev/null || { echo "sshfs is not installed"; exit 1; }
sshd_start || exit 1
trap 'fusermount -u "$T/m" 2>/dev/null; sshd_stop; cleanup' EXIT
home=$(getent passwd "$SSH_USER" | cut -d: -f6)
share="$home/bench-$$"; install -d -o "$SSH_USER" "$share"
sshfs_mount "$share" "$T/m" || exit 1
echo "== machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); old $OLD, new $NEW"
for round in 1 2; do
  for v in OLD NEW; do
    B=${!v}
    mkdir -p "$T/m/$v$round"
    echo; echo "== $v, round $round: write throughput on the sshfs mount (16 processes x 50 events)"
    "$B/bench_write" "$T/m/$v$round" 16 50
    echo "== $v, round $round: propagation, sshfs mount"
    "$B/bench_propagation" "$T/m/$v$round/prop.db" 300 5
  done
done
for v in OLD NEW; do
  B=${!v}
  echo; echo "== $v: timeline paging, 1,000,000 events (local disk)"
  "$B/bench_timeline" "$T/$v-big.db" 1000000
done
