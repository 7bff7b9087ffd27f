#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --wait is the caller's deadline from the start: opening the database (reading the schema version), reading
# and writing all wait at most that long for another process's lock, and no longer; a long --wait outlasts a
# lock held longer than the old fixed 15 s of opening. The lock holder (hold_lock in lib.sh) says when it holds
# the lock (a file), and lets go when told (a FIFO). When a command gives up is the behaviour under test (a
# deadline, not a speed): the bounds are the deadline's own, with wide margins.
. "$(dirname "$0")/lib.sh"

wr init >/dev/null
wr declare "Deadline test" >/dev/null

# timed NAME RC COMMAND...: expect_rc, and the elapsed milliseconds in $MS
timed() { local t0; t0=$(date +%s%N); expect_rc "$@"; MS=$(( ($(date +%s%N) - t0) / 1000000 )); }

hold_lock a exclusive   # an EXCLUSIVE lock: nobody may even read
timed "write with --wait 2 while locked" 5 wr --wait 2 note "too quick"
check "it waited about 2 s, not 15 (${MS} ms)" [ "$MS" -ge 1800 ] && check "... and no longer (${MS} ms)" [ "$MS" -lt 6000 ]
check_contains "busy, says so" "$ERR" "busy"
check_contains "retrying is safe" "$ERR" "retrying is safe"
timed "show with --wait 2 while locked" 5 wr --wait 2 show INC-1
check "show gave up after about 2 s (${MS} ms)" [ "$MS" -ge 1800 ] && check "... not 15 (${MS} ms)" [ "$MS" -lt 6000 ]
timed "tail with --wait 1 while locked" 5 wr --wait 1 tail INC-1
check "tail gave up after about 1 s (${MS} ms)" [ "$MS" -ge 800 ] && check "... not 15 (${MS} ms)" [ "$MS" -lt 5000 ]
timed "--wait 0: one try" 5 wr --wait 0 note "no wait"
check "--wait 0 does not wait (${MS} ms)" [ "$MS" -lt 1500 ]
printf 'wait: 1\n' >"$T/wait1.yaml"
timed "wait: 1 in the config" 5 wr --config "$T/wait1.yaml" note "from config"
check "the config's wait holds when opening (${MS} ms)" [ "$MS" -ge 800 ] && check "... (${MS} ms)" [ "$MS" -lt 5000 ]
release_lock a
wait
check_eq "nothing was written while locked" "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind='note'")" 0

# A lock held longer than 15 s: --wait 60 outlasts it (it used to fail after 15 s "reading the schema version").
hold_lock b exclusive
( sleep 17; release_lock b ) &   # the holder's own duration, not a synchronisation
timed "write with --wait 60 under a 17 s lock" 0 wr --wait 60 note "patient"
check "it waited for the holder (${MS} ms)" [ "$MS" -ge 15500 ]
wait
check_eq "the patient note landed once" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind='note' AND json_extract(payload,'\$.text')='patient'")" 1
finish
