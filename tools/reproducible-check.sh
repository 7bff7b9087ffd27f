#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/reproducible-check.sh - build the warroom binary twice, from two copies of the source tree in
# different directories (build trees in different places too), and compare the bytes. Prints both digests;
# exits 1 if they differ (and shows where, with cmp), 0 if the two builds are identical.
# Usage: tools/reproducible-check.sh [CMAKE_ARGS...]   (default: the default build type, RelWithDebInfo)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wr-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT
one() { # one DIR CMAKE_ARGS...: copy the source files (tracked and new, no build tree) to DIR/src, build in DIR/b
  local d=$1; shift
  mkdir -p "$d/src"
  (cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$d/src")
  cmake -S "$d/src" -B "$d/b" "$@" >/dev/null
  cmake --build "$d/b" -j"$(nproc)" --target warroom >/dev/null
}
one "$work/first" "$@"
one "$work/the/second/elsewhere" "$@"
a=$(sha256sum <"$work/first/b/warroom")
b=$(sha256sum <"$work/the/second/elsewhere/b/warroom")
echo "first:  ${a%% *}"
echo "second: ${b%% *}"
if [ "$a" != "$b" ]; then
  echo "reproducible-check: the two builds differ" >&2
  cmp -l "$work/first/b/warroom" "$work/the/second/elsewhere/b/warroom" | head -20 >&2 || true
  exit 1
fi
echo "reproducible-check: identical ($(stat -c %s "$work/first/b/warroom") bytes)"
