#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults from the command line: another process holding the write lock, truncated and corrupt files. (A full
# disk: disk_full.sh; a read-only file or directory: readonly_access.sh.)
. "$(dirname "$0")/lib.sh"

# --- Another process holds the write lock (until told to let go): a write with a long --wait waits and
#     completes once it goes; with a short --wait it is refused plainly, nothing written. (The console side is
#     tested in the console tests.)
wr init >/dev/null
wr declare "Lock test" >/dev/null
hold_lock w "INSERT INTO presence VALUES('x','x','x','x','x',0,0,0);"
"$WR_BIN" --db "$DB" --wait 30 note "patient" >"$T/patient.out" 2>"$T/patient.err" &
patient=$!
expect_rc "short wait: busy" 5 wr --wait 1 note "too quick"
check_contains "busy message" "$ERR" "busy"
check_contains "retrying is safe" "$ERR" "retrying"
check_not_contains "never 'database is locked'" "$ERR" "database is locked"
# The patient write, started before the short one gave up, is still waiting: nothing lands under the lock.
check "the long wait is still waiting" kill -0 "$patient"
check_eq "nothing written under the lock" "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind='note'")" 0
release_lock w
wait "$HOLDER_PID"
wait "$patient"
check_eq "long wait: lands after the lock is released" "$?" 0
check_eq "... and says so" "$(cat "$T/patient.out" "$T/patient.err")" "INC-1: noted (#2)"
check_eq "only the patient note" "$(sqlite3 "$DB" "SELECT group_concat(json_extract(payload,'\$.text')) FROM events WHERE kind='note'")" patient

# --- Truncated and corrupt files: a clear error, never a crash.
head -c 3000 "$DB" >"$T/trunc.db"
expect_rc "truncated" 9 "$WR_BIN" --db "$T/trunc.db" list
check_not_contains "no crash text" "$ERR" "Segmentation"
cp "$DB" "$T/corrupt.db"
printf 'garbage garbage garbage garbage garbage garbage' | dd of="$T/corrupt.db" bs=1 seek=4096 conv=notrunc 2>/dev/null
"$WR_BIN" --db "$T/corrupt.db" list >/dev/null 2>"$T/corrupt.err"; rc=$?
check "corrupt page: error or ok, never a crash (rc $rc)" [ "$rc" -lt 128 ]
expect_rc "doctor finds the damage" 1 "$WR_BIN" --db "$T/corrupt.db" doctor --full
check_contains "doctor says damaged" "$OUT" "PROBLEM"
head -c 100 /dev/urandom >"$T/random.db"
expect_rc "random bytes" 9 "$WR_BIN" --db "$T/random.db" show
: >"$T/empty.db"
expect_rc "an empty file is not silently used" 9 "$WR_BIN" --db "$T/empty.db" note hi
check_eq "empty file left empty" "$(stat -c %s "$T/empty.db")" 0

finish
