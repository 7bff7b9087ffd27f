#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A full disk from the command line: a 1 MiB tmpfs fills up; the write is refused with exit 7 and a plain
# message, nothing acknowledged is lost, the file stays intact, and writing works again once space is freed.
# Needs root to mount the tmpfs: reported as skipped otherwise.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
mkdir -p "$T/small"
mount -t tmpfs -o size=1m tmpfs "$T/small" 2>/dev/null || skip "cannot mount a tmpfs here"
trap 'umount "$T/small" 2>/dev/null; cleanup' EXIT
D="$T/small/w.db"
"$WR_BIN" --db "$D" init >/dev/null
"$WR_BIN" --db "$D" declare "Disk full" >/dev/null
big=$(head -c 12000 /dev/zero | tr '\0' x)
acked=0; full_rc=0
for i in $(seq 1 200); do
  if "$WR_BIN" --db "$D" note "$i $big" >/dev/null 2>"$T/full.err"; then acked=$i; else full_rc=$?; break; fi
done
check_eq "disk full exit code" "$full_rc" 7
check_contains "disk full message" "$(cat "$T/full.err")" "disk holding"
check "some notes landed first" [ "$acked" -gt 5 ]
check_eq "integrity while full" "$(sqlite3 "$D" "PRAGMA integrity_check" 2>&1)" ok
check_eq "every acknowledged note present" "$(sqlite3 "$D" "SELECT count(*) FROM events WHERE kind='note'")" "$acked"
expect_rc "still full: refused again" 7 "$WR_BIN" --db "$D" note "still full $big"
# Free space (the tmpfs grows to 4 MiB) -> writing works again.
mount -o remount,size=4m "$T/small"
expect_rc "space freed: writes again" 0 "$WR_BIN" --db "$D" note "after freeing space"
check_eq "integrity after" "$(sqlite3 "$D" "PRAGMA integrity_check")" ok
finish
