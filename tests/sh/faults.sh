#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults from the command line: another process holding the write lock, truncated and corrupt files, a
# read-only directory. (A full disk: disk_full.sh.)
. "$(dirname "$0")/lib.sh"

# --- A process holds the write lock for 3 s: a write waits and completes; with a short --wait it is refused
#     plainly, nothing written, and retrying later works. (The console side is tested in the console tests.)
wr init >/dev/null
wr declare "Lock test" >/dev/null
sqlite3 "$DB" "BEGIN IMMEDIATE; INSERT INTO presence VALUES('x','x','x','x','x',0,0,0); SELECT 1;" \
  ".system sleep 3" "COMMIT;" >/dev/null &
holder=$!
sleep 0.5
start=$(date +%s%N)
expect_rc "short wait: busy" 5 wr --wait 1 note "too quick"
check_contains "busy message" "$ERR" "busy"
check_contains "retrying is safe" "$ERR" "retrying"
check_not_contains "never 'database is locked'" "$ERR" "database is locked"
expect_rc "long wait: lands after the lock is released" 0 wr --wait 30 note "patient"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "it waited for the holder" [ "$elapsed_ms" -ge 1500 ]
wait $holder
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

# --- Read-only directory (not as root, who ignores permissions).
if [ "$(id -u)" != 0 ]; then
  mkdir "$T/rodir"; cp "$DB" "$T/rodir/w.db"; rm -f "$T/rodir/w.db-journal"; chmod 0555 "$T/rodir"
  expect_rc "read-only dir: read" 0 "$WR_BIN" --db "$T/rodir/w.db" show INC-1
  expect_rc "read-only dir: write refused with the reason" 6 "$WR_BIN" --db "$T/rodir/w.db" note INC-1 hi
  check_contains "says the directory" "$ERR" "not writable"
  chmod 0755 "$T/rodir"
fi

finish
