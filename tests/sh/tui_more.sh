#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# More of the console: several open incidents start in the list; a drill is marked; an empty war room
# opens the incident someone declares; a runbook changed on disk is flagged "newer version available";
# pastes are text, never key commands; a mouse click focuses a pane and selects a line; long command output
# goes to the pager; step ids complete.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

# An empty war room opens the incident declared elsewhere.
wr init >/dev/null
tui_console a 120 40
expect_screen "empty room" a "No incident is open."
wr declare "Declared from the CLI" --severity SEV2 >/dev/null
expect_screen "opened by itself" a "warroom  INC-1  SEV2  triage" 2
expect_screen "says so" a "INC-1 was declared: this is its war room"
keys a q
expect_screen "quit a" a "__EXIT=0"

# Several open: the list, to pick one; a drill is marked.
wr declare "Tabletop exercise" --drill >/dev/null
tui_console b 120 40
expect_screen "several open: the list" b "─ Incidents "
expect_screen "the list names them" b "Declared from the CLI"
expect_screen "drill marked in the list" b "DRILL Tabletop exercise"
keys b Enter
expect_screen "Enter opens the first (the newest)" b "warroom  INC-2  SEV3  triage"
expect_screen "drill in the header" b " DRILL "
expect_screen "drill in the incident pane" b "INC-2   SEV3   triage   DRILL"

# Pastes: refused outside the prompt (a pasted "q" must not quit); at the prompt the text, line breaks kept
# (shown as ↵), and the note keeps them.
TM set-buffer -b p1 $'first pasted line\nq\nD second line'
TM paste-buffer -p -b p1 -t b
expect_screen "paste outside the prompt refused" b "pasted text ignored"
expect_no_screen "did not quit" b "__EXIT="
keys b n
expect_screen "note prompt" b ":note"
TM paste-buffer -p -b p1 -t b
expect_screen "pasted at the prompt, its breaks shown" b ":note -- first pasted line↵q↵D second line"
keys b Enter
expect_screen "pasted note recorded: its first line and a marker" b "first pasted line [+2 lines]"
check_eq "one note" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 1
check_eq "its line breaks kept" "$(sql "SELECT json_extract(payload, '\$.text') FROM events WHERE kind = 'note'")" \
  $'first pasted line\nq\nD second line'
check_eq "still one incident per declare" "$(sql "SELECT count(*) FROM incidents")" 2

# A mouse click (xterm's report: ESC [ M button x y, each + 32) focuses the timeline and selects a row.
expect_no_screen "timeline not focused" b "─ #"
row=$(screen b | grep -n "declared SEV3 DRILL: Tabletop exercise" | cut -d: -f1)
check "timeline row found" [ -n "$row" ]
keys_literal b $'\e[M '"$(printf "\\$(printf %o $((32 + 40)))")$(printf "\\$(printf %o $((32 + row)))")"
keys_literal b $'\e[M#'"$(printf "\\$(printf %o $((32 + 40)))")$(printf "\\$(printf %o $((32 + row)))")"
expect_screen "click focused the timeline on entry #1 (INC-2's first: numbers are per incident)" b "─ #1 ─"

# Long output goes to the pager; q closes it.
keys b ':'
keys_literal b "help step"
keys b Enter
expect_screen "pager with the output" b "─ help step "
expect_screen "pager text" b "change a checklist step"
keys b q
wait_gone b "─ help step " && ok || fail "pager did not close"

# Step ids complete at the prompt (the matches shown above it).
wr runbook attach INC-2 api-abuse >/dev/null
expect_screen "attached" b "attached runbook api-abuse"
keys b ':'
keys_literal b "step "
keys b Tab
first=$(sql "SELECT step FROM steps WHERE incident = 2 ORDER BY step LIMIT 1")
expect_screen "step ids offered" b "$first"
esc b ":step"
keys b q
expect_screen "quit b" b "__EXIT=0"
# The history file (written when the console quits) holds the pasted note on one line, breaks as spaces.
check "the history keeps it on one line" grep -qxF "note -- first pasted line q D second line" "$XDG_STATE_HOME/warroom/history"

# A runbook whose file changed since it was attached: "newer version available".
mkdir -p "$XDG_CONFIG_HOME/warroom/runbooks"
cp "$WR_SRC/runbooks/ddos-abnormal-traffic.yaml" "$XDG_CONFIG_HOME/warroom/runbooks/"
wr runbook attach INC-1 ddos-abnormal-traffic >/dev/null
sed -i 's/^version: .*/version: 99/' "$XDG_CONFIG_HOME/warroom/runbooks/ddos-abnormal-traffic.yaml"
tui_console c 120 40
expect_screen "list again" c "─ Incidents "
keys c ':'
keys_literal c "open INC-1"
keys c Enter
expect_screen "newer version flagged" c "newer version available: ddos-abnormal-traffic v1 is attached, the file on disk is v99"
keys c q
expect_screen "quit c" c "__EXIT=0"

# The role set in force comes from the configuration: the roles pane and the completion follow it.
mkdir -p "$XDG_CONFIG_HOME/warroom"
cat >"$XDG_CONFIG_HOME/warroom/config.yaml" <<'YAML'
roles:
  - id: incident-commander
    title: Incident commander
    single: true
  - id: duty-officer
    title: Duty officer
    abbrev: DO
YAML
tui_console d 120 40
expect_screen "list" d "─ Incidents "
keys d Enter
expect_screen "configured role shown" d "DO  Duty officer"
expect_no_screen "default roles not shown" d "Communications liaison"
keys d ':'
keys_literal d "assign du"
keys d Tab
expect_screen "configured role completes" d ":assign duty-officer"
esc d ":assign duty-officer"
keys d q
expect_screen "quit d" d "__EXIT=0"
finish
