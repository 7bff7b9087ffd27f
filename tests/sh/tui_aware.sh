#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# News at every size: a responder at 80x24 (ann), the incident commander at 120x35 (ben) and an observer at
# 160x45 (cid), three operators on one database. At 80x24 one screen shows the incident line, the roles in one
# line, the open steps and the newest entries, no key pressed; another operator's note, severity change, IC
# hand-over, step assignment and new incident reach ann's screen without a key press, as notices she can read
# again (M); panes not shown count what they missed ("Timeline +2"), the timeline says what came in below
# while she is scrolled up; the header keeps the alert badge over the brand word; the clock stops at
# resolution; an incident that is over offers the one being worked; the help lays out at 80 and 160.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

# Sessions are named s80, s120, s160: tmux takes a one-letter target for the prefix of a window name too.
alert() { printf '%s\n' "$1" | wr alert --no-rules >/dev/null; }
# line_of NAME TEXT: the screen line of NAME that holds TEXT (the first).
line_of() { screen "$1" | grep -F -- "$2" | head -1; }

wr init >/dev/null
wr declare "Checkout failing for EU customers after the payments gateway certificate rotation" \
  --severity SEV2 >/dev/null
wr runbook attach INC-1 service-outage-degradation >/dev/null
wr --as ben assign INC-1 incident-commander ben --new-user >/dev/null
for i in 1 2 3 4 5 6; do wr --as ben note INC-1 "older note $i" >/dev/null; done
STEP=$(sql "SELECT step FROM steps WHERE incident = 1 AND state = 'todo' ORDER BY phase_index DESC, ord DESC LIMIT 1")

tui_console s80 80 24 --as ann
tui_console s120 120 35 --as ben
tui_console s160 160 45 --as cid
expect_screen "ann's console is up" s80 "older note 6"
expect_screen "three in the room (ben)" s120 "In the room (3)"

# ---- 80x24: one screen, no key pressed ----
s=$(screen s80)
head1=$(printf '%s\n' "$s" | head -1)
check_contains "80x24: the incident line has the id" "$head1" "INC-1"
check_contains "80x24: ... the severity" "$head1" "SEV2"
check_contains "80x24: ... the status" "$head1" "triage"
check "80x24: ... the elapsed time" grep -qE "triage  [0-9]+s " <<<"$head1"
check_contains "80x24: ... the title (cut with an ellipsis)" "$head1" "Checkout failing for"
check_contains "80x24: the title is cut with an ellipsis" "$head1" "…"
line2=$(printf '%s\n' "$s" | sed -n 2p)
check_contains "80x24: the roles line names the IC" "$line2" "IC ben"
check_contains "80x24: the checklist's open steps" "$s" "[ ]* "
check_contains "80x24: the timeline" "$s" "─ Timeline "
for i in 2 3 4 5 6; do check_contains "80x24: the newest entries ($i)" "$s" "older note $i"; done
check_not_contains "80x24: no tab strip by default" "$s" " Incident   Roles   Checklist "
check_eq "80x24: 24 lines" "$(printf '%s\n' "$s" | wc -l)" 24

# The compact checklist lists open steps only; a step ticked here stays in view until the selection moves on.
FIRST=$(sql "SELECT title FROM steps WHERE incident = 1 ORDER BY phase_index, ord LIMIT 1")
SECOND=$(sql "SELECT title FROM steps WHERE incident = 1 ORDER BY phase_index, ord LIMIT 1 OFFSET 1")
keys s80 Space
expect_screen "80x24: the ticked step stays in view" s80 "[x]* $FIRST"
keys s80 j
wait_gone s80 "$FIRST" && ok || fail "80x24: the finished step did not leave the compact checklist: $(screen s80)"
check_contains "80x24: the next step is there" "$(screen s80)" "$SECOND"

# ---- another operator's note, severity change, hand-over, step, new incident: no key pressed in a ----
keys s120 ':'
keys_literal s120 "note -- the gateway is rejecting the new certificate"
keys s120 Enter
expect_screen "ben's note on ann's 80x24 screen" s80 "the gateway is rejecting the new"
expect_screen "... and on cid's 160x45 screen" s160 "the gateway is rejecting the new certificate"
keys s120 ':'
keys_literal s120 "severity SEV1"
keys s120 Enter
expect_screen "the severity change is a notice at 80x24" s80 "INC-1 SEV2 -> SEV1 by ben"
expect_screen "the header follows" s80 "INC-1  SEV1  triage"
keys s120 ':'
keys_literal s120 "assign incident-commander ann"
keys s120 Enter
expect_screen "ann is told she is IC (ben handed over)" s80 "you are now incident commander (handed over by ben)"
expect_screen "the roles line follows" s80 "IC ann"
wr --as ben assign INC-1 incident-commander ben --force --reason "ann is off shift" >/dev/null
expect_screen "ann is told she is no longer IC" s80 "you are no longer incident commander (ben took over, by ben)"
expect_screen "the roles line follows again" s80 "IC ben"
wr --as ben step INC-1 "$STEP" assign ann >/dev/null
expect_screen "a step assigned to ann" s80 "step $STEP assigned to you by ben"
# The bell rang for the ones that need action (tmux marks the window).
check_eq "the bell rang at ann's console" "$(TM display-message -p -t s80 '#{window_bell_flag}')" 1
wr --as ben declare "Second incident: login page down" --severity SEV1 >/dev/null
expect_screen "the new incident is announced at 80x24" s80 "INC-2 declared SEV1 by ben: press L to open"
expect_screen "... and at 160x45" s160 "INC-2 declared SEV1 by ben: press L to open"
# M: the notices again, newest first.
keys s80 M
expect_screen "M shows the history" s80 "Messages, newest first"
s=$(screen s80)
check_contains "history: the declaration" "$s" "INC-2 declared SEV1 by ben"
check_contains "history: the hand-over" "$s" "you are now incident commander (handed over by ben)"
check "history: newest first" awk '/INC-2 declared/ && !d {d = NR} /SEV2 -> SEV1/ && !s {s = NR} END {exit !(d && s && d < s)}' <<<"$s"
keys s80 q
wait_gone s80 "Messages, newest first" && ok || fail "q closes the history"
# L opens the list on the announced incident; Enter opens it; it is not over, so nothing is offered.
keys s80 L
expect_screen "the list" s80 "Second incident: login page down"
keys s80 Enter
expect_screen "INC-2 opened from the announcement" s80 "INC-2  SEV1  triage"

# ---- an incident that is over offers the one being worked ----
wr --as ben status INC-2 declined --reason "duplicate of INC-1" >/dev/null
expect_screen "declined: INC-1 is offered" s80 "INC-2 is declined; INC-1 is being worked: press L to open it"
expect_screen "the clock stopped" s80 "declined after"
keys s80 L
expect_screen "the list again" s80 "Second incident"
keys s80 Enter
expect_screen "back on INC-1" s80 "INC-1  SEV1  triage"
wait_gone s80 "is being worked" && ok || fail "nothing offered on INC-1: $(screen s80)"

# ---- unread counts in the zoom; the timeline scrolled up ----
keys s80 z
expect_screen "z: the tab strip" s80 " Incident   Roles   Checklist   Timeline "
expect_screen "z: the checklist alone" s80 "─ Checklist "
wr --as ben note INC-1 "while ann looks at the checklist (1)" >/dev/null
wr --as ben note INC-1 "while ann looks at the checklist (2)" >/dev/null
expect_screen "the timeline's tab counts what it missed" s80 "Timeline +2"
wr --as ben assign INC-1 scribe cid --new-user >/dev/null
expect_screen "the roles tab too" s80 "Roles +1"
keys s80 BTab
expect_screen "BTab: the roles pane" s80 "─ Roles "
expect_screen "looked at: its count is gone" s80 " Roles   Checklist "
expect_screen "the timeline still counts" s80 "Timeline +3"
keys s80 Tab Tab
expect_screen "the timeline shown" s80 "while ann looks at the checklist (2)"
wait_gone s80 "Timeline +" && ok || fail "the timeline's count cleared: $(screen s80)"
keys s80 z
wait_gone s80 " Incident   Roles   Checklist " && ok || fail "z again: no tab strip: $(screen s80)"
# Compact: the incident pane is not shown; what it missed is counted on the roles line.
wr --as ben set INC-1 impact "EU checkout down" >/dev/null
expect_screen "the hidden incident pane's count" s80 "Incident +1: z"
# Scrolled up in the timeline (the zoom left the focus on it): new entries do not move the view, the frame
# counts them.
expect_screen "the focused timeline shows its entry number" s80 "─ #"
keys s80 k k k
wr --as ben note INC-1 "below the view" >/dev/null
expect_screen "N new below" s80 "1 new below: End to jump"
keys s80 End
expect_screen "End jumps to the newest" s80 "below the view"
wait_gone s80 "new below" && ok || fail "the count is gone after End: $(screen s80)"

# ---- the header gives way: the alert badge outranks the brand word ----
alert '{"source":"guardduty","title":"Root credentials used","severity":"critical","labels":{"account":"prod"}}'
expect_screen "120 columns, long title: the badge" s120 "1 alert (1 firing)"
head_b=$(screen s120 | head -1)
check_not_contains "120 columns: the brand word gave way first" "$head_b" " warroom "
expect_screen "160 columns, long title: the badge in full" s160 "1 alert (1 firing)"
check_contains "160 columns: the clock too" "$(screen s160 | head -1)" " UTC"
expect_screen "80 columns: the badge, short" s80 "1 alert "
check_contains "80 columns: the title keeps some room" "$(screen s80 | head -1)" "Checkout"

# ---- 120x35: the roles pane shows the people in the room; the incident pane cuts with an ellipsis ----
s=$(screen s120)
check_contains "120x35: in the room" "$s" "In the room (3)"
for who in ann ben cid; do
  check "120x35: $who is listed in the room" grep -qE "│  $who +" <<<"$s"
done
check_contains "120x35: the incident pane's cut lifecycle line ends in an ellipsis" "$(line_of s120 'triage > containment')" "…│"

# ---- the clock stops at resolution ----
wr --as ben status INC-1 resolved --force --reason "test: straight to resolved" >/dev/null
expect_screen "resolved: the elapsed time stops" s120 "resolved after"

# ---- the help at 80 and at 160 columns ----
keys s80 '?'
expect_screen "help at 80" s80 "─ Help "
# screen_when NAME REGEX: NAME's screen once a line matches REGEX (the keys sent before have been taken), polled
# with a deadline of 5 s; the last screen if it never does (the checks below then say what is wrong).
screen_when() {
  local i
  for ((i = 0; i < 100; i++)); do screen "$1" | grep -qE -- "$2" && break; sleep 0.05; done
  screen "$1"
}
for _ in 1 2 3 4 5; do keys s80 PgDn; done
s=$(screen_when s80 "│   severity +\[INC\]")
if printf '%s\n' "$s" | grep -A3 -E "│   severity +\[INC\]" | grep -qE '│ {17}change the severity' &&
  ! printf '%s\n' "$s" | grep -qE "│   severity +\[INC\].*change the"; then ok
else fail "help at 80: the command's summary is not on its own indented line: $s"; fi
keys s160 '?'
expect_screen "help at 160" s160 "─ Help "
keys s160 PgDn
s=$(screen_when s160 "│   pin +\[INC\] N")
check "help at 160: form and summary share a line" grep -qE "│   pin +\[INC\] N +mark timeline entry #N as a key moment" <<<"$s"

for t in s80 s120 s160; do
  keys "$t" q q
  expect_screen "$t quits" "$t" "__EXIT=0"
done
finish
