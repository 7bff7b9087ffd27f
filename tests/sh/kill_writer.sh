#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A writer killed with SIGKILL at random moments, over and over: the file stays intact and every event the
# writer reported as written is there. KILLS=N overrides the number of rounds (default 50).
. "$(dirname "$0")/lib.sh"

ROUNDS=${KILLS:-50}
wr init >/dev/null
wr declare "Crash test" >/dev/null
: >"$T/acked"
for r in $(seq 1 "$ROUNDS"); do
  "$WR_BINDIR/wr_writer" "$DB" 1 100000 "round$r" >"$T/round.out" 2>"$T/round.err" &
  pid=$!
  # Once the writer has acknowledged its first write (however slow it is to start: a sanitizer build), a
  # random 5..150 ms more of writing, then SIGKILL mid-flight. (The sleep picks the moment; it waits for
  # nothing.)
  for _ in $(seq 1 400); do [ -s "$T/round.out" ] && break; sleep 0.025; done
  sleep "0.$(printf '%03d' $((RANDOM % 146 + 5)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  cat "$T/round.out" >>"$T/acked"
  res=$(db_integrity)
  check_eq "integrity after kill $r" "$res" ok
done
n_acked=$(sort -u "$T/acked" | grep -c .)
check "some writes were acknowledged" [ "$n_acked" -gt 0 ]
dbq "SELECT uid FROM events" | sort -u >"$T/present"
missing=$(sort -u "$T/acked" | comm -23 - "$T/present" | wc -l)
check_eq "acknowledged events missing" "$missing" 0
# The log and the state still agree, and warroom can still write.
check_eq "integrity at the end" "$(db_integrity)" ok
expect_rc "a write after the crashes" 0 wr note INC-1 "still alive"
echo "rounds=$ROUNDS acknowledged=$n_acked"
finish
