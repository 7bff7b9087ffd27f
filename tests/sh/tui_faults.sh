#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults seen from the console: another process holds the write lock (until the test lets it go, 8 seconds
# later): the console keeps answering keys, shows the change as pending, and completes it once the lock
# goes. (A full disk: tui_disk_full.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
wr declare "Held lock" >/dev/null
tui_console a 120 40
expect_screen "console up" a "Held lock"

hold_lock w
keys a ':'; keys_literal a "note made while the lock was held"; keys a Enter
expect_screen "pending" a "1 pending: note on INC-1"
# For 8 seconds under the lock (the console's retries come and go meanwhile) every key is answered at once:
# the help opens and closes, probe after probe with no pause between them. The 8 s are the scenario's length
# (long enough to span several retries), not a wait for anything.
end=$(( $(date +%s) + 8 )) probes=0
while [ "$(date +%s)" -lt "$end" ]; do
  probes=$((probes + 1))
  keys a '?'
  if wait_for a "─ Help " 1; then ok; else fail "help did not open while locked (probe $probes)"; fi
  keys a q
  if wait_gone a "─ Help " 1; then ok; else fail "help did not close while locked (probe $probes)"; fi
  keys a Tab
done
check "probed all along ($probes probes)" [ "$probes" -ge 4 ]
check_eq "still nothing written under the lock" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 0
expect_screen "still pending" a "1 pending: note on INC-1"
expect_no_screen "never 'database is locked'" a "database is locked"
release_lock w
wait "$HOLDER_PID"
expect_screen "completed after the lock" a "done: note on INC-1" 8
check_eq "landed once" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 1
keys a q
expect_screen "quit" a "__EXIT=0"

finish
