#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A full disk seen from the console: a clear error in the status line, the note typed meanwhile kept (not
# dropped) and written once space is freed, then new writes land at once. Needs root to mount a tmpfs:
# reported as skipped otherwise.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
. "$(dirname "$0")/tui_lib.bash"
mkdir -p "$T/small"
mount -t tmpfs -o size=600k tmpfs "$T/small" 2>/dev/null || skip "cannot mount a tmpfs here"
trap 'tui_stop; umount "$T/small" 2>/dev/null; cleanup' EXIT
DB="$T/small/w.db"
wr init >/dev/null
wr declare "Disk full" >/dev/null
tui_console f 120 40
expect_screen "console on the small disk" f "Disk full"
# Fill the disk from the side, leaving the database as it is.
dd if=/dev/zero of="$T/small/filler" bs=4k 2>/dev/null
big=$(head -c 3000 /dev/zero | tr '\0' y)
keys f ':'; keys_literal f "note $big"; keys f Enter
expect_screen "disk full said plainly" f "disk holding" 5
expect_screen "the note is kept" f "1 pending: note on INC-1"
check_eq "integrity while full" "$(sql "PRAGMA integrity_check")" ok
check_eq "nothing written while full" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 0
rm -f "$T/small/filler"
keys f ':'; keys_literal f "note after freeing space"; keys f Enter
# Landed is what the database says (the screen's ':' line shows the typed text before anything is written).
notes() { sql "SELECT group_concat(substr(json_extract(payload, '\$.text'), 1, 5), '|') FROM (SELECT payload FROM events WHERE kind = 'note' ORDER BY seq)"; }
for ((i = 0; i < 200; i++)); do [ "$(notes)" = "yyyyy|after" ] && break; sleep 0.05; done
check_eq "the kept note and the new one landed once each, in order" "$(notes)" "yyyyy|after"
wait_gone f "pending: note" 5 && ok || fail "the pending mark stayed: $(screen f | tail -1)"
check_eq "integrity after" "$(sql "PRAGMA integrity_check")" ok
keys f q
expect_screen "quit" f "__EXIT=0"
finish
