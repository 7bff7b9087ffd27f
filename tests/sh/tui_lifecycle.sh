#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The console and the incident lifecycle: the countdown to the next stakeholder update (and overdue), the
# decision frame, required roles left empty (marked, with the escalation step due from oncall.yaml), the
# update composer (U, :update) sending through a slow update command while the console keeps answering,
# the on-call suggestions after declaring, the DRILL marker.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
mkdir -p "$XDG_CONFIG_HOME/warroom"
# The update command: takes its time (the console must not wait for it), keeps what it was given.
cat >"$XDG_CONFIG_HOME/warroom/config.yaml" <<YAML
update_command: "cat > '$T/sent.txt'; echo \"\$WARROOM_AUDIENCE \$WARROOM_INCIDENT\" > '$T/env.txt'; sleep 2; echo posted"
YAML
cat >"$XDG_CONFIG_HOME/warroom/oncall.yaml" <<'YAML'
timezone: UTC
roles:
  incident-commander: sre
  responder: platform
teams:
  sre:
    members: [alice, bob]
    rotation: {shift: weekly, start: 2026-01-05 09:00}
    escalation: ic-missing
  platform:
    members: [dave, erin]
    rotation: {shift: daily, start: 2026-01-05 09:00}
escalations:
  ic-missing:
    - after: 0m
      reach: [team:sre]
    - after: 30m
      reach: [user:carol]
YAML

# A SEV1 declared at 09:00; SEV1 wants an update every 30 minutes.
WARROOM_CLOCK=2026-03-01T09:00:00Z+ wr declare "Payments API down" --severity SEV1 >/dev/null

# At 09:10: 20 minutes left; the required roles are all empty, the first escalation step is due.
tui_start a 140 40 "WARROOM_CLOCK=2026-03-01T09:10:00Z+ $WR_BIN --db '$DB'"
expect_screen "countdown" a "update in 20m"
expect_screen "required roles warning" a "! Required roles empty: Incident commander"
expect_screen "escalation step 1 due" a "! IC empty 10m: escalate (ic-missing step 1): bob"
expect_screen "role marked in the roles pane" a "! required, empty"
# The decision frame, set from the prompt, and its approach.
keys a ':'
keys_literal a "decision complex"
keys a Enter
expect_screen "decision shown" a "Decision: complex - probe, sense, respond"
# Assigning the IC takes it off the warning.
WARROOM_CLOCK=2026-03-01T09:12:00Z+ wr assign INC-1 incident-commander alice >/dev/null
expect_screen "IC shown" a "Incident commander      alice"
wait_gone a "! IC empty" 5
expect_no_screen "no escalation once assigned" a "escalate (ic-missing"
keys a q
expect_screen "quit" a "__EXIT=0"

# At 09:45, the IC's seat empty since 09:14 (31 minutes): overdue, and the later step (carol) is due.
WARROOM_CLOCK=2026-03-01T09:14:00Z+ wr --as alice unassign INC-1 incident-commander alice >/dev/null  # she steps down
tui_start b 140 40 "WARROOM_CLOCK=2026-03-01T09:45:00Z+ $WR_BIN --db '$DB'"
expect_screen "overdue" b "update overdue 15m"
# Highlighted: the countdown is drawn in the error colour (an SGR sequence right before it).
if TM capture-pane -e -p -t b | grep -q $'\e\\[[0-9;]*m update overdue'; then ok; else fail "overdue not highlighted"; fi
expect_screen "the later escalation step" b "! IC empty 31m: escalate (ic-missing step 2): carol"

# U opens the composer with the CAN template.
keys b U
expect_screen "composer open" b "Update to internal on INC-1"
expect_screen "template in it" b "Ctrl-D: record and send"
keys_literal b "Status at 09:45: payments failing over."
keys b Enter
keys b C-d
expect_screen "sending" b "sending the update"
# The console answers keys while the command runs: the incident list opens at once.
keys b L
expect_screen "answers keys while sending" b "─ Incidents "
check_eq "not finished yet" "$(sql "SELECT count(*) FROM events WHERE kind = 'update.sent'")" 0
expect_screen "sent" b "update sent" 10
check_eq "update recorded" "$(sql "SELECT count(*) FROM events WHERE kind = 'update'")" 1
check_eq "result recorded" "$(sql "SELECT count(*) FROM events WHERE kind = 'update.sent'")" 1
check_contains "the command got the text" "$(head -1 "$T/sent.txt")" "Status at 09:45: payments failing over."
check_eq "the command's environment" "$(cat "$T/env.txt")" "internal INC-1"
check_contains "text recorded" "$(sql "SELECT json_extract(payload, '\$.text') FROM events WHERE kind = 'update'")" \
  "Status at 09:45: payments failing over."
# The countdown starts again from the update.
esc b "─ Incidents "
expect_screen "countdown restarted" b "update in 30m"

# :update --audience executive from the prompt; Esc cancels and records nothing.
keys b ':'
keys_literal b "update --audience executive"
keys b Enter
expect_screen "executive composer" b "Update to executive on INC-1"
esc b "Update to executive on INC-1"
expect_screen "cancelled" b "update cancelled"
check_eq "still one update" "$(sql "SELECT count(*) FROM events WHERE kind = 'update'")" 1
# With text the command records it as on the command line (no composer).
keys b ':'
keys_literal b "update --audience customer We are investigating."
keys b Enter
expect_screen "recorded from the prompt" b "done: customer update on INC-1"
# :replay shows the incident's timeline again in the timeline pane, at its pace (here 600x: 45 min in 4.5 s).
keys b ':'
keys_literal b "replay INC-1 --speed 600"
keys b Enter
expect_screen "replay frame" b "Replay of INC-1 at 600x"
expect_screen "first entry at once" b "+0s"
expect_no_screen "later entries not yet" b "update #"
expect_screen "replay reaches the end" b "replay finished" 10
expect_screen "the sent update replayed" b "update #"
esc b "Replay of INC-1"
expect_screen "live timeline again" b "─ Timeline "
keys b q
expect_screen "quit b" b "__EXIT=0"

# Declaring from the console suggests the on-call people: y assigns, n does not.
tui_start c 140 40 "WARROOM_CLOCK=2026-03-02T10:00:00Z+ $WR_BIN --db '$DB'"
expect_screen "started" c "warroom"
keys c D
keys_literal c "--drill Queue backlog growing"  # options first: the title is the rest of the line
keys c Enter
expect_screen "IC suggestion" c "assign IC to alice (on call for sre)? y/n"
keys c y
expect_screen "responder suggestion" c "assign RSP to dave (on call for platform)? y/n"
keys c n
expect_screen "declined" c "not assigned"
check_eq "IC assigned" "$(sql "SELECT group_concat(holder) FROM roles WHERE incident = 2 AND role = 'incident-commander'")" alice
check_eq "responder not assigned" "$(sql "SELECT count(*) FROM roles WHERE incident = 2 AND role = 'responder'")" 0
# A drill incident shows the DRILL marker in the header.
expect_screen "drill banner" c "INC-2  SEV3  triage"
if screen c | head -1 | grep -q "DRILL"; then ok; else fail "no DRILL in the header: $(screen c | head -1)"; fi
keys c q
expect_screen "quit c" c "__EXIT=0"
finish
