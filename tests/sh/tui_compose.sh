#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The update composer and the timeline's multi-line entries, driven through tmux (issue 14, "Writing in the
# console"): readline's keys edit (Ctrl-A/E/K/U/W/Y, Alt-B/F/D), long lines wrap instead of being cut, Ctrl-T
# switches the audience (each keeps its draft), Esc asks before closing a draft and the draft is kept per
# incident and audience until recorded, even over a SIGKILL of the console; a multi-line note shows its first
# line and a marker in the timeline and Enter shows all of it in the pager; the phase gate's question names
# the steps that block it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
wr declare --severity SEV2 "Checkout errors" >/dev/null
DRAFTS="$XDG_STATE_HOME/warroom"
# The draft file of INC-1's update to AUDIENCE (one per database, incident and audience).
draft_file() { ls "$DRAFTS"/draft-*-INC-1-"$1".txt 2>/dev/null | head -1; }
# wait_line1 AUDIENCE WANT: poll the draft (written after every change) until its first line is WANT.
wait_line1() {
  local i f got=
  for ((i = 0; i < 100; i++)); do
    f=$(draft_file "$1")
    got=$([ -n "$f" ] && head -1 "$f")
    [ "$got" = "$2" ] && { ok; return 0; }
    sleep 0.05
  done
  fail "draft's first line: got [$got], expected [$2]"
}

tui_console a 80 24
expect_screen "console up" a "Checkout errors"
keys a U
expect_screen "composer" a "Update to internal on INC-1"
expect_screen "the audience key in the frame" a "Ctrl-T: audience"
# The cursor starts at the top of the template: our words go on a first line of their own.
keys_literal a "alpha beta gamma"
keys a Enter
wait_line1 internal "alpha beta gamma"
keys a Up C-e                     # the end of our line
keys a C-w                        # Ctrl-W: the word before
wait_line1 internal "alpha beta "
keys a M-b                        # Alt-B: before "beta"
keys a C-k                        # Ctrl-K: to the end of the line
wait_line1 internal "alpha "
keys a C-y                        # Ctrl-Y: put it back
wait_line1 internal "alpha beta "
keys a C-a                        # Ctrl-A: the start
keys_literal a "X"
wait_line1 internal "Xalpha beta "
keys a M-f M-d                    # Alt-F past "Xalpha", Alt-D: " beta"
wait_line1 internal "Xalpha "
keys a C-e
keys_literal a "Z"
wait_line1 internal "Xalpha Z"
keys a C-u                        # Ctrl-U: to the start of the line
wait_line1 internal ""
keys_literal a "Status: payments are failing over to the standby region while the primary database recovers from the storage fault wrapword"
wait_line1 internal "Status: payments are failing over to the standby region while the primary database recovers from the storage fault wrapword"
# Wrapped, not cut: the end of the long line is on the screen, on a row of its own below its start.
expect_screen "the end of a long line is shown" a "storage fault wrapword"
row_start=$(screen a | grep -n "Status: payments" | cut -d: -f1)
row_end=$(screen a | grep -n "wrapword" | cut -d: -f1)
check "wrapped onto a later row" [ -n "$row_start" ] && [ -n "$row_end" ] && [ "$row_end" -gt "$row_start" ]
expect_no_screen "no ellipsis cut" a "storage…"

# Ctrl-T: the next audience, its template; the internal draft is kept; back to it with Ctrl-T twice.
keys a C-t
expect_screen "executive" a "Update to executive on INC-1"
expect_screen "says the draft is kept" a "the draft to internal is kept"
keys_literal a "EXEC-DRAFT"
keys a Enter
wait_line1 executive "EXEC-DRAFT"
keys a C-t
expect_screen "customer" a "Update to customer on INC-1"
keys a C-t
expect_screen "internal again" a "Update to internal on INC-1"
expect_screen "its draft is back" a "your draft of this update is back"
expect_screen "with our words" a "Status: payments are failing over"

# Esc asks; n goes back to the text, y closes and keeps the draft.
keys a Escape
expect_screen "Esc asks" a "close the update? y/n"
keys a n
expect_screen "n: back to it" a "back to the update"
expect_screen "still open" a "Update to internal on INC-1"
keys a Escape
expect_screen "asks again" a "close the update? y/n"
keys a y
wait_gone a "Update to internal on INC-1" || fail "y did not close the composer"
expect_screen "closed, draft kept" a "your draft to internal on INC-1 is kept"
check "the draft file is there" [ -n "$(draft_file internal)" ]
check "mode 0600" [ "$(stat -c %a "$(draft_file internal)")" = 600 ]
check_eq "nothing recorded" "$(sql "SELECT count(*) FROM events WHERE kind = 'update'")" 0

# SIGKILL: the console dies with the composer open and words just typed; the next console has them.
keys a U
expect_screen "reopened with the draft" a "your draft of this update is back"
keys a C-e
keys_literal a " KILLED-MIDWAY"
wait_line1 internal "Status: payments are failing over to the standby region while the primary database recovers from the storage fault wrapword KILLED-MIDWAY"
pid=$(tui_pid a)
check "console pid" [ -n "$pid" ]
kill -KILL "$pid"
expect_screen "the console is gone" a "__EXIT=137"
tui_console b 120 35
expect_screen "a new console" b "Checkout errors"
keys b U
expect_screen "the draft survived the kill" b "KILLED-MIDWAY"
# Ctrl-D records it; the draft is gone with it (the executive one stays).
keys b C-d
wait_sql "recorded" "SELECT count(*) FROM events WHERE kind = 'update' AND json_extract(payload, '\$.audience') = 'internal'" 1
check_contains "as written" "$(sql "SELECT json_extract(payload, '\$.text') FROM events WHERE kind = 'update'")" \
  "wrapword KILLED-MIDWAY"
for ((i = 0; i < 100; i++)); do [ -z "$(draft_file internal)" ] && break; sleep 0.05; done
check "the recorded draft is removed" [ -z "$(draft_file internal)" ]
check "the other audience's draft stays" [ -n "$(draft_file executive)" ]
# Ctrl-X throws a draft away (asking first).
keys b ':'
keys_literal b "update --audience executive"
keys b Enter
expect_screen "executive draft back" b "EXEC-DRAFT"
keys b C-x
expect_screen "asks before throwing away" b "throw away your draft to executive on INC-1"
keys b y
expect_screen "thrown away" b "draft thrown away"
for ((i = 0; i < 100; i++)); do [ -z "$(draft_file executive)" ] && break; sleep 0.05; done
check "its file is gone" [ -z "$(draft_file executive)" ]
keys b Escape
wait_gone b "Update to executive on INC-1" || fail "Esc on the template alone closes without asking"

# A multi-line note: the first line and a marker in the timeline; Enter shows the whole entry.
wr note INC-1 "$(printf 'Findings so far:\nkey AKIA... used from 3 Tor exits\nrotation started')" >/dev/null
expect_screen "first line and marker" b "Findings so far: [+2 lines]"
expect_no_screen "not the other lines" b "rotation started"
keys b ':'
keys_literal b "redraw"
keys b Enter
# Focus the timeline (Tab until its frame is the focused one: its info shows the selected entry's number).
for ((i = 0; i < 6; i++)); do
  screen b | grep -q "Timeline.*#[0-9]" && break
  keys b Tab
  sleep 0.1
done
keys b End Enter
expect_screen "Enter: the pager has all of it" b "Timeline entry #"
expect_screen "second line" b "key AKIA... used from 3 Tor exits"
expect_screen "third line" b "rotation started"
esc b "rotation started"

# The phase gate names the steps that block it.
wr runbook attach INC-1 leaked-cloud-credentials >/dev/null || fail "attach"
blocking=$(sql "SELECT step FROM steps WHERE incident = 1 AND mandatory AND phase_index <= 1 AND state NOT IN ('done', 'skipped') ORDER BY phase_index, runbook, ord LIMIT 1")
check "a mandatory step before containment" [ -n "$blocking" ]
wr status INC-1 containment --force --reason "test setup" >/dev/null  # to a phase whose steps are open
phase2=$(sql "SELECT step FROM steps WHERE incident = 1 AND mandatory AND phase_index <= 2 AND state NOT IN ('done', 'skipped') ORDER BY phase_index, runbook, ord LIMIT 1")
keys b ':'
keys_literal b "status eradication"
keys b Enter
expect_screen "the question" b "Leave containment with"
expect_screen "the steps that block it, named above it" b "blocking:  $phase2"
keys b Escape
check_eq "the status stays" "$(sql "SELECT status FROM incidents WHERE id = 1")" containment
keys b q
# At 160x45 too: the marker, and the composer's long lines wrapped at its width.
tui_console c 160 45
expect_screen "160x45: first line and marker" c "Findings so far: [+2 lines]"
keys c U
expect_screen "160x45: composer" c "Update to internal on INC-1"
keys_literal c "$(printf 'w%.0s ' {1..120})tail-of-a-long-line"
expect_screen "160x45: the end of a long line is shown" c "tail-of-a-long-line"
keys c C-c
wait_gone c "Update to internal on INC-1" || fail "Ctrl-C closes the composer"
expect_screen "Ctrl-C keeps the draft" c "your draft to internal on INC-1 is kept"
check "the draft is there" [ -n "$(draft_file internal)" ]
keys c q
finish
