#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Presence in files next to the database (docs/store.md: presence): two consoles see each other; a console
# killed with SIGKILL (no chance to say goodbye) leaves the room within the timeout, for `who` and for the
# other console's roles pane, while the live one, beating, stays; its file stays until swept. The side
# directory and its files are made for a group under umask 022; the database never changes for a beat.
# The timeout is shortened to 3 s for the test (WARROOM_PRESENCE_TIMEOUT_MS: beats every second).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

umask 022
wr init >/dev/null
wr declare "Presence" >/dev/null
P="$DB.presence"
con() { tui_start "$1" 120 40 "env WARROOM_PRESENCE_TIMEOUT_MS=3000 $WR_BIN --db '$DB'"; }
con a
expect_screen "a up" a "─ Timeline "
wait_present 1 10
check_eq "a in the room" "$(present)" 1
con b
expect_screen "b up" b "─ Timeline "
wait_present 2 10
check_eq "both in the room" "$(present INC-1)" 2
expect_screen "a sees b" a "In the room (2)" 5
expect_screen "b sees a" b "In the room (2)" 5
check_eq "the side directory: setgid, for the group" "$(stat -c '%a' "$P")" 2770
check_eq "the files: for the group" "$(stat -c '%a' "$P"/* | sort -u)" 660
check_eq "one file per console" "$(ls "$P" | grep -cE '^[0-9a-f]{32}$')" 2
# A beat changes nothing in the database: its modification time stays put across several beats.
before=$(stat -c %Y.%s "$DB")
wait_files_beaten() { # until every file was touched after $1 (a second's beat)
  local since=$1 i f newer
  for ((i = 0; i < 100; i++)); do
    newer=0
    for f in "$P"/*; do [ "$(stat -c %Y "$f")" -gt "$since" ] && newer=$((newer + 1)); done
    [ "$newer" = 2 ] && return 0
    sleep 0.05
  done
  return 1
}
t=$(date +%s)
check "both consoles beat" wait_files_beaten "$t"
check_eq "the database untouched by beats" "$(stat -c %Y.%s "$DB")" "$before"

# SIGKILL b: its file is left behind, and the timeout takes it out of the room.
bpid=$(tui_pid b)
check "b's pid" [ -n "$bpid" ]
killed_at=$(date +%s%N)
kill -KILL "$bpid"
if wait_present 1 10; then ok; else fail "the killed console is still in the room 10 s later: $(wr who)"; fi
left_ms=$(( ($(date +%s%N) - killed_at) / 1000000 ))
# The verdict is due 3 s after the last beat (before the kill); `who` polled on a loaded machine adds to it.
check "left within the timeout, not the default 45 s (${left_ms} ms)" [ "$left_ms" -lt 8000 ]
expect_screen "a sees b leave" a "In the room (1)" 5
check_eq "b's file is still there (nobody said goodbye)" "$(ls "$P" | grep -cE '^[0-9a-f]{32}$')" 2
check_eq "a, beating, is still in the room" "$(present INC-1)" 1

# a quits: its file goes at once.
keys a q
wait_present 0 5
check_eq "a left on quitting" "$(present)" 0
check_eq "only the killed console's file is left" "$(ls "$P" | grep -cE '^[0-9a-f]{32}$')" 1
finish
