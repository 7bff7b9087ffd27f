#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `warroom tail -f` in one process sees the events another process writes, in order, each once.
. "$(dirname "$0")/lib.sh"

wr init >/dev/null
wr declare "Tail test" >/dev/null
"$WR_BIN" --db "$DB" tail -f INC-1 >"$T/tail.out" 2>"$T/tail.err" &
tailpid=$!
"$WR_BIN" --db "$DB" --json tail -f INC-1 >"$T/tail.json" 2>&1 &
jsonpid=$!
# Both followers are following once they have printed what is there already (the declaration).
for _ in $(seq 1 200); do [ -s "$T/tail.out" ] && [ -s "$T/tail.json" ] && break; sleep 0.05; done
check "tail -f printed the existing entries" [ -s "$T/tail.out" ]
check "tail --json -f printed the existing entries" [ -s "$T/tail.json" ]
"$WR_BINDIR/wr_writer" "$DB" 1 60 w1 >/dev/null &
w1=$!
"$WR_BINDIR/wr_writer" "$DB" 1 60 w2 >/dev/null &
w2=$!
wait "$w1" "$w2"
# Give the follower up to 3 s to catch up.
for _ in $(seq 1 30); do
  [ "$(grep -Ec 'w[12] [0-9]+' "$T/tail.out")" -ge 120 ] && break
  sleep 0.1
done
kill "$tailpid" "$jsonpid" 2>/dev/null
wait "$tailpid" "$jsonpid" 2>/dev/null
check_eq "lines seen" "$(grep -Ec 'w[12] [0-9]+' "$T/tail.out")" 120
check_eq "each once" "$(grep -Eo 'w[12] [0-9]+' "$T/tail.out" | sort -u | wc -l)" 120
# Printed in log order: the entry numbers only go up.
check_eq "in order" "$(grep -o '^#[0-9]*' "$T/tail.out" | tr -d '#' | sort -n -c && echo sorted)" sorted
# w1's own notes appear in its order.
check_eq "w1 order" "$(grep -Eo 'w1 [0-9]+' "$T/tail.out" | awk '{print $2}' | paste -sd,)" "$(seq 0 59 | paste -sd,)"
check_eq "json lines" "$(grep -c '"kind":"note"' "$T/tail.json")" 120
check_eq "tail stderr" "$(cat "$T/tail.err")" ""
finish
