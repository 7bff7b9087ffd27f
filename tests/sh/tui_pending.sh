#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes never block the screen: while another process holds the database's write lock, a note made in
# the console waits in the status line ("1 pending: note on INC-1") and lands once, in order, when the lock
# goes; the screen keeps answering meanwhile. A refused write says why plainly; a read-only store shows
# its banner and refuses writes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
wr declare "Pending writes" >/dev/null
wr runbook attach INC-1 ddos-abnormal-traffic >/dev/null
tui_console a 120 40
expect_screen "console up" a "Pending writes"

# Another process holds the write lock until the test lets it go.
hold_lock w
keys a ':'
keys_literal a "note first while locked"
keys a Enter
expect_screen "pending in the status line" a "1 pending: note on INC-1"
keys a ':'
keys_literal a "note second while locked"
keys a Enter
expect_screen "two pending" a "2 pending: note on INC-1 (+1 more)"
check_eq "nothing written while locked" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 0
# The screen still answers: the help opens and closes while the writes wait.
keys a '?'
expect_screen "screen answers while pending" a "─ Help " 2
keys a q
wait_gone a "─ Help " 2 && ok || fail "help did not close while pending"
check_eq "still nothing written while locked" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 0
release_lock w
wait "$HOLDER_PID"
expect_screen "landed" a "done: note on INC-1" 8
wait_gone a "pending: note" 8 && ok || fail "the pending mark stayed"
expect_screen "both in the timeline" a "second while locked"
check_eq "each landed once" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 2
check_eq "in the order made" "$(sql "SELECT group_concat(json_extract(payload, '\$.text'), '|') FROM (SELECT payload FROM events WHERE kind = 'note' ORDER BY seq)")" \
  "first while locked|second while locked"

# A refused write: the store's message, plainly.
step=$(sql "SELECT step FROM steps WHERE incident = 1 ORDER BY phase_index, ord LIMIT 1")
wr --as cli-bot step INC-1 "$step" done >/dev/null
keys a ':'
keys_literal a "step $step done"
keys a Enter
expect_screen "conflict explained" a "step $step is already done: cli-bot did it at"
keys a q
expect_screen "quit" a "__EXIT=0"

# Read-only: a banner, and writes refused with the reason.
tui_console ro 120 40 --read-only
expect_screen "read-only banner" ro "READ-ONLY: opened read-only on request"
keys ro ':'
keys_literal ro "note not allowed"
keys ro Enter
expect_screen "write refused" ro "read-only"
check_eq "nothing written read-only" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 2
keys ro q
expect_screen "quit read-only" ro "__EXIT=0"
finish
