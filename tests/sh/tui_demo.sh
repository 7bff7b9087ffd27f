#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The console on the demo war room: every pane shows, keys and the : prompt work, help, resizing to the
# smallest and a wide terminal, the too-small message, Esc cancelling the prompt, q quitting.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

tui_start demo 120 40 "$WR_BIN --db '$T/demo.db' demo"
expect_screen "title" demo "Leaked AWS access key used from unknown IPs"
expect_screen "header" demo "INC-1  SEV1  containment"
check_contains "the header gives the title room before the brand" "$(screen demo | head -1)" \
  "Leaked AWS access key used from unknown IPs"
s=$(screen demo)
check_contains "incident pane" "$s" "─ Incident "
check_contains "summary" "$s" "CI deploy key leaked in a public gist"
check_contains "roles pane" "$s" "─ Roles "
check_contains "a role holder" "$s" "Incident commander      maria"
check_contains "responders" "$s" "ana, raj"
check_contains "in the room" "$s" "In the room (1)"
check_contains "checklist pane" "$s" "─ Checklist "
check_contains "phase heading" "$s" "Containment  2/3"
check_contains "done step" "$s" "[x]* Disable the key (do not delete it)"
check_contains "in-progress step" "$s" "[~]* Tell the key's owner"
check_contains "blocked step with its reason" "$s" "[!]* Trace every API call made with the key - waiting for"
check_contains "timeline pane" "$s" "─ Timeline "
check_contains "a note in the timeline" "$s" "S3 data events: 3 GetObject calls"
check_contains "a change in the timeline" "$s" "step disable-key: todo -> done"
check_contains "status line" "$s" "1 here, 1 online"

# The pinned key moment (#10) is marked once the timeline shows it.
keys demo Tab
keys demo k k k k k k k k k k k k k k
expect_screen "pinned entry marked" demo "ana          * CloudTrail: iam:CreateUser"

# Help: generated from the key tables in force (the room's, then the global ones) and the act table; q
# closes it.
keys demo '?'
expect_screen "help" demo "─ Help "
expect_screen "help lists the room's keys first" demo "keys in the war room (room)"
# page_to TEXT: PgDn until the help shows TEXT (each page polled for a second).
page_to() {
  local i
  for ((i = 0; i < 20; i++)); do
    wait_for demo "$1" 1 && return 0
    keys demo PgDn
  done
  return 1
}
page_to "U        update" && ok || fail "help lists the live global keys"
page_to "declare a new incident" && ok || fail "help lists the commands"
keys demo End
expect_screen "help has the legend" demo "[!] blocked"
keys demo q
wait_gone demo "─ Help " && ok || fail "q did not close the help"
expect_screen "back to the room" demo "─ Checklist "

# Esc cancels the prompt at once and runs nothing.
keys demo n
expect_screen "n opens the prompt with note" demo ":note"
keys_literal demo "this must not be recorded"
expect_screen "typed text shows" demo ":note -- this must not be recorded"
esc demo ":note -- this must not"
# A note sent after it goes through the same queue: once it has landed, a note Esc had sent would have too.
keys demo n
expect_screen "n again" demo ":note"
keys_literal demo "marker after Esc"
keys demo Enter
for _ in $(seq 1 200); do
  [ "$(sqlite3 -cmd ".timeout 5000" "$T/demo.db" "SELECT count(*) FROM events WHERE json_extract(payload, '\$.text') = 'marker after Esc'")" = 1 ] && break
  sleep 0.05
done
check_eq "the marker landed" "$(sqlite3 -cmd ".timeout 5000" "$T/demo.db" "SELECT count(*) FROM events WHERE json_extract(payload, '\$.text') = 'marker after Esc'")" 1
check_eq "Esc wrote nothing" "$(sqlite3 -cmd ".timeout 5000" "$T/demo.db" "SELECT count(*) FROM events WHERE json_extract(payload, '\$.text') LIKE '%must not be recorded%'")" 0

# Resize: 80x24 (the compact layout, and its zoom), 200x60 (wide), 60x20 (too small) and back.
TM resize-window -t demo -x 80 -y 24
expect_screen "compact: the roles line" demo " IC maria "
expect_screen "compact: the checklist" demo "─ Checklist "
expect_screen "compact: the timeline" demo "─ Timeline "
expect_no_screen "compact: no incident pane (the header is its line)" demo "─ Incident "
expect_no_screen "compact: no tab strip" demo " Incident   Roles   Checklist   Timeline "
keys demo z
expect_screen "zoom: tab strip" demo " Incident   Roles   Checklist   Timeline "
expect_screen "zoom: the focused pane" demo "─ Timeline "
expect_no_screen "zoom: one pane only" demo "─ Checklist "
keys demo Tab
expect_screen "zoom: Tab shows the next pane" demo "─ Incident "
keys demo z
expect_screen "z again: compact" demo "─ Checklist "
expect_no_screen "z again: no tab strip" demo " Incident   Roles   Checklist   Timeline "
TM resize-window -t demo -x 200 -y 60
expect_screen "wide: all four panes" demo "─ Roles "
s=$(screen demo)
check_contains "wide: incident" "$s" "─ Incident "
check_contains "wide: checklist" "$s" "─ Checklist "
check_contains "wide: timeline" "$s" "─ Timeline "
check_eq "wide: the timeline spans the width" "$(screen demo | grep -c "^└$(printf '─%.0s' $(seq 1 198))┘$")" 1
check_eq "wide: 60 lines" "$(screen demo | wc -l)" 60
TM resize-window -t demo -x 60 -y 20
expect_screen "too small" demo "terminal too small (need 80x24, have 60x20)"
expect_no_screen "too small: no panes" demo "─ Timeline "
TM resize-window -t demo -x 120 -y 40
expect_screen "back from too small" demo "─ Checklist "
expect_no_screen "message gone" demo "terminal too small"

keys demo q
expect_screen "q quits with status 0" demo "__EXIT=0"
finish
