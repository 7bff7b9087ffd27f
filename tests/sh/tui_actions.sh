#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Acting from the console: an empty war room, declaring with D, :assign with completion, ticking a step with
# Space (and the CLI sees it), notes, pinning, the phase gate's reason prompt, the incident list with its
# filter, per-incident positions, a key bound in the config file, the prompt history on disk.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
mkdir -p "$XDG_CONFIG_HOME/warroom"
printf 'keys:\n  N: "prompt note from-N "\n' >"$XDG_CONFIG_HOME/warroom/config.yaml"
printf '$if warroom\n"\\C-t": "inputrc-macro"\n$endif\n' >"$HOME/.inputrc"

tui_console a 120 40
expect_screen "empty war room" a "No incident is open."
expect_screen "offers to declare" a "Press D to declare one, or type :declare TITLE"

# D: the prompt pre-filled with "declare ".
keys a D
expect_screen "D opens :declare" a ":declare"
keys_literal a "Primary database unreachable"
keys a Enter
expect_screen "declared and opened" a "warroom  INC-1  SEV3  triage"
expect_screen "title shown" a "Primary database unreachable"
check_eq "declared in the database" "$(sql "SELECT title FROM incidents WHERE id = 1")" \
  "Primary database unreachable"

# :assign, with Tab completing the role.
keys a ':'
keys_literal a "assign scr"
keys a Tab
expect_screen "Tab completes the role" a ":assign scribe"
keys_literal a "alice"
keys a Enter
# alice is no user of this host, not on call, new here: the console asks first (a typo hands a role to nobody).
expect_screen "unknown name asks first" a "alice is not a user of this host, not on call and new to this war room"
keys a y
expect_screen "role holder shown" a "Scribe                  alice"
check_eq "assigned in the database" "$(sql "SELECT holder FROM roles WHERE incident = 1 AND role = 'scribe'")" alice

# A runbook attached from the command line shows up without a key press; Space ticks the first open step.
wr runbook attach INC-1 service-outage-degradation >/dev/null
expect_screen "checklist appears" a "[ ]* "
first=$(sql "SELECT step FROM steps WHERE incident = 1 ORDER BY phase_index, ord LIMIT 1")
keys a Space
for _ in $(seq 1 40); do
  [ "$(sql "SELECT state FROM steps WHERE incident = 1 AND step = '$first'")" = done ] && break
  sleep 0.05
done
check_eq "Space ticked the step" "$(sql "SELECT state FROM steps WHERE incident = 1 AND step = '$first'")" done
expect_screen "the console says so" a "done: step $first done on INC-1"
check_contains "the CLI sees it" "$(wr show INC-1)" "[x]"
expect_screen "ticked on screen" a "[x]*"
# Space again: back to to-do (the cursor stays on the step).
keys a Space
expect_screen "unticked" a "done: step $first todo on INC-1"
check_eq "back to todo" "$(sql "SELECT state FROM steps WHERE incident = 1 AND step = '$first'")" todo

# A note with an apostrophe (an unpaired quote is taken literally for free text).
keys a ':'
keys_literal a "note it's the primary, not the replica"
keys a Enter
# (the `:` line showed the text already: wait for the database, then for the timeline)
wait_sql "note recorded" "SELECT count(*) FROM events WHERE kind = 'note'" 1
expect_screen "note in the timeline" a "it's the primary, not the replica"
check_eq "note recorded once" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 1

# ~/.inputrc applies at the prompt (a macro bound for warroom).
keys a ':'
keys a C-t
expect_screen "inputrc macro" a ":inputrc-macro"
esc a ":inputrc-macro"

# A key from the config file's keys: section.
keys a N
expect_screen "config key binding" a ":note from-N"
esc a ":note from-N"

# p pins the selected timeline entry (the newest: the note).
keys a Tab
keys a p
expect_screen "pinned" a "done: pin on INC-1"
check_eq "pin recorded" "$(sql "SELECT count(*) FROM pins")" 1
expect_screen "pinned marker" a "* it's the primary, not the replica"

# The phase gate: leaving triage with mandatory steps open asks for a reason, then overrides.
keys a ':'
keys_literal a "status containment"
keys a Enter
expect_screen "gate question" a "Leave triage with"
expect_screen "gate question asks a reason" a "mandatory steps open? Reason:"
check_eq "not changed yet" "$(sql "SELECT status FROM incidents WHERE id = 1")" triage
keys_literal a "customer impact, contain first"
keys a Enter
expect_screen "status changed" a "INC-1  SEV3  containment"
check_eq "override recorded" "$(sql "SELECT json_extract(payload, '\$.reason') FROM events WHERE kind = 'incident.changed' AND json_extract(payload, '\$.field') = 'status'")" \
  "customer impact, contain first"
# Once someone else commands, this operator may not override the gate (the policy): told so, not asked.
wr --as dana assign INC-1 IC dana --new-user >/dev/null
expect_screen "the new commander shown" a "Incident commander      dana"
keys a ':'
keys_literal a "status eradication"
keys a Enter
expect_screen "not asked for a reason" a "only the Incident commander or Deputy may override the phase gate: INC-1 has"
expect_no_screen "no reason prompt" a "Reason:"
check_eq "status unchanged" "$(sql "SELECT status FROM incidents WHERE id = 1")" containment

# The incident list: L, / filters, Enter opens; each incident keeps its timeline position.
wr declare "Second incident for the list" >/dev/null
keys a k k
expect_screen "timeline entry selected" a "─ #"
pos1=$(screen a | grep -o '─ #[0-9]* ─' | head -1)
keys a L
expect_screen "list view" a "─ Incidents "
expect_screen "both incidents listed" a "Second incident for the list"
keys a /
keys_literal a "second"
expect_screen "filter applied" a "1 of 2 match \"second\""
expect_no_screen "filtered out" a "Primary database unreachable"
keys a Enter
keys a Enter
expect_screen "opened the other incident" a "warroom  INC-2  SEV3  triage"
keys a ':'
keys_literal a "open INC-1"
keys a Enter
expect_screen "back in INC-1" a "warroom  INC-1"
expect_screen "timeline position kept" a "$pos1"

# History: the prompt lines are saved on exit.
keys a q
expect_screen "quit" a "__EXIT=0"
check_contains "history file" "$(cat "$XDG_STATE_HOME/warroom/history")" "assign scribe alice"
finish
