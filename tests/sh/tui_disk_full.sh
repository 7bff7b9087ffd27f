#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A full disk seen from the console: a clear error in the status line, nothing acknowledged lost, writing
# works again once space is freed. Needs root to mount a tmpfs: reported as skipped otherwise.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
. "$(dirname "$0")/tui_lib.bash"
mkdir -p "$T/small"
mount -t tmpfs -o size=600k tmpfs "$T/small" 2>/dev/null || skip "cannot mount a tmpfs here"
trap 'TM kill-server 2>/dev/null; umount "$T/small" 2>/dev/null; tui_cleanup' EXIT
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
check_eq "integrity while full" "$(sql "PRAGMA integrity_check")" ok
rm -f "$T/small/filler"
keys f ':'; keys_literal f "note after freeing space"; keys f Enter
expect_screen "writes again" f "after freeing space" 5
check_eq "integrity after" "$(sql "PRAGMA integrity_check")" ok
keys f q
expect_screen "quit" f "__EXIT=0"
finish
