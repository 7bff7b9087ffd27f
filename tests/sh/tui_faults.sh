#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults seen from the console: another process holds the write lock for 10 seconds (the console keeps
# answering keys, shows the change as pending, and completes it afterwards). (A full disk: tui_disk_full.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
wr declare "Held lock" >/dev/null
tui_console a 120 40
expect_screen "console up" a "Held lock"

(echo "BEGIN IMMEDIATE;"; sleep 10; echo "COMMIT;") | sqlite3 "$DB" &
locker=$!
sleep 0.5
keys a ':'; keys_literal a "note made while the lock was held"; keys a Enter
expect_screen "pending" a "1 pending: note on INC-1" 2
# For the next 8 seconds the console answers every key at once.
for i in 1 2 3 4; do
  keys a '?'
  expect_screen "help opens while locked ($i)" a "─ Help " 1
  keys a q
  if wait_gone a "─ Help " 1; then ok; else fail "help did not close while locked ($i)"; fi
  keys a Tab
  sleep 1.5
done
check_eq "still nothing written under the lock" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 0
expect_no_screen "never 'database is locked'" a "database is locked"
wait "$locker"
expect_screen "completed after the lock" a "done: note on INC-1" 8
check_eq "landed once" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 1
keys a q
expect_screen "quit" a "__EXIT=0"

finish
