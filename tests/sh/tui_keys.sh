#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The per-view key tables, driven through tmux: each view's keys run their acts (triage d/a/x through the
# `alert` act: the events land in the database; / filters the list; y/n answer a question; the composer's
# keys; q quits), keys: rebinds per view from the config file and an unknown view or act is refused with a
# clear error and changes nothing, and ? shows the keys of the view shown, generated, laid out for 80 and
# 160 columns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
wr declare --severity SEV2 "Checkout errors" >/dev/null
alert() { printf '%s\n' "$1" | wr alert --no-rules >/dev/null; }
alert '{"source":"prometheus","title":"Disk almost full on db-1","severity":"warning","labels":{"host":"db-1"}}'
alert '{"source":"guardduty","title":"Root credentials used","severity":"critical","labels":{"account":"prod"}}'
alert '{"source":"prometheus","title":"Checkout latency p99 over 2s","severity":"high","labels":{"svc":"checkout"}}'
mkdir -p "$XDG_CONFIG_HOME/warroom"
cat >"$XDG_CONFIG_HOME/warroom/config.yaml" <<'YAML'
keys:
  room: {x: "prompt note from-x "}
  triage:
    x: none
    X: alert-dismiss
  rom: {Z: quit}
  list: {K: "explode"}
YAML

# wait_sql DESCRIPTION QUERY EXPECTED [SECONDS]: poll the database (not the screen) for the exact state.
wait_sql() {
  local got i
  for ((i = 0; i < ${4:-5} * 20; i++)); do
    got=$(sql "$2")
    [ "$got" = "$3" ] && break
    sleep 0.05
  done
  check_eq "$1" "$got" "$3"
}

# The status line's hint names the keys of help, prompt and quit as bound (one incident open, no config:
# no message covers it).
: >"$T/empty.yaml"
tui_console hint 100 30 --config "'$T/empty.yaml'"
expect_screen "the hint names the keys of the acts" hint "? help  : command  q quit"
keys hint q
expect_screen "quit" hint "__EXIT=0"

tui_console a 160 45
expect_screen "room" a "─ Timeline "
# The bad bindings are refused at start, in words; they change nothing.
expect_screen "unknown view refused" a '"rom" is not a view (did you mean room?)'
keys a Z
expect_screen "Z stays unbound" a "Z is not bound to anything (? lists the keys)"

# room: x rebound to a prompt line; Esc cancels it.
keys a x
expect_screen "room x rebound" a ":note from-x"
keys a Escape
wait_gone a ":note from-x" && ok || fail "Esc did not cancel the prompt"

# ? in the room at 160 columns: the room's keys, then the global ones, one line each.
keys a '?'
expect_screen "help: room keys" a "keys in the war room (room)"
expect_screen "help: one line per key at 160" a "Tab      focus-next             move to the next pane"
expect_screen "help: the rebinding shown" a "x        prompt note from-x     open the : command line with \"note from-x \" typed"
expect_screen "help: global keys" a "keys everywhere (but the composer), unless the view binds the key (global)"
expect_screen "pager foot from the table" a "q closes"
keys a q
wait_gone a "─ Help " && ok || fail "q (pager: back) did not close the help"
expect_screen "q closed only the help" a "─ Timeline "

# triage: x is unbound there now, X dismisses (the reason asked), d declares, a attaches.
keys a T
expect_screen "triage view" a "3 awaiting triage"
expect_screen "header names the keys as bound" a "(d declare, a attach, X dismiss, Esc back)"
keys a '?'
expect_screen "help in triage: its own keys" a "keys in the triage view (triage)"
expect_screen "help in triage: X" a "X        alert-dismiss"
keys a Escape
wait_gone a "─ Help " && ok || fail "Esc did not close the help"
keys a x
expect_screen "x unbound in triage" a "x is not bound to anything"
keys a g   # the newest: checkout latency
keys a X
expect_screen "dismiss asks a reason" a "Dismiss #3 (Checkout latency p99 over 2s)? Reason:"
keys_literal a "known deploy, rolled back"
keys a Enter
wait_sql "X dismissed through the alert act" \
  "SELECT triage || ' ' || reason FROM alerts WHERE id = 3" "dismissed known deploy, rolled back"
check_eq "one alert.dismissed event from the console" \
  "$(sql "SELECT count(*) || ' ' || source FROM events WHERE kind = 'alert.dismissed' AND json_extract(payload, '$.alert') = 3")" \
  "1 tui"
expect_screen "two left" a "2 awaiting triage"
keys a g   # root credentials (#2)
keys a d
wait_sql "d declared from alert #2" "SELECT triage || ' ' || incident FROM alerts WHERE id = 2" "declared 2"
check_eq "the declaration carries the alert" \
  "$(sql "SELECT count(*) FROM events WHERE kind = 'incident.declared' AND incident = 2 AND json_extract(payload, '$.alert.alert') = 2")" 1
expect_screen "the new incident's room" a "INC-2  SEV1"
keys a T
expect_screen "back in triage" a "1 awaiting triage"
keys a a
wait_sql "a attached #1 to the room's incident" "SELECT triage || ' ' || incident FROM alerts WHERE id = 1" "attached 2"
check_eq "one alert.attached event" \
  "$(sql "SELECT count(*) FROM events WHERE kind = 'alert.attached' AND incident = 2 AND source = 'tui'")" 1
expect_screen "queue empty" a "No alert is waiting for triage."
keys a Escape
expect_screen "Esc: back to the room" a "─ Timeline "

# list: / filters as typed, Esc clears the filter then goes back; the bad binding of K changed nothing.
keys a L
expect_screen "list view" a "Checkout errors"
keys a K
expect_screen "K unbound (bad act refused)" a "K is not bound to anything"
keys a /
keys_literal a "zzz"
expect_screen "filter applied" a "No incident matches."
keys a Enter
keys a Escape
expect_screen "Esc clears the filter" a "Checkout errors"
keys a Escape
expect_screen "Esc: back to the room" a "─ Timeline "

# question: an unknown name asks y/n; n writes nothing, y assigns.
keys a ':'
keys_literal a "assign scribe nobody-$$"
keys a Enter
expect_screen "asks first" a "y/n"
keys a n
expect_screen "n: nothing changed" a "nothing changed"
check_eq "n wrote nothing" "$(sql "SELECT count(*) FROM roles WHERE incident = 2 AND role = 'scribe'")" 0
keys a ':'
keys_literal a "assign scribe nobody-$$"
keys a Enter
expect_screen "asks again" a "y/n"
keys a y
wait_sql "y assigned" "SELECT holder FROM roles WHERE incident = 2 AND role = 'scribe'" "nobody-$$"

# composer: U opens it, Esc cancels, C-d records.
keys a U
expect_screen "composer" a "Update to internal on INC-2"
expect_screen "composer frame from the table" a "Ctrl-D: record"
keys a Escape
expect_screen "Esc cancels" a "update cancelled (nothing recorded)"
keys a U
expect_screen "composer again" a "Update to internal on INC-2"
keys a C-d
wait_sql "C-d recorded the update" "SELECT count(*) FROM events WHERE kind = 'update' AND incident = 2" 1

# q quits.
keys a q
expect_screen "q quits" a "__EXIT=0"

# The help at 80 columns: the description on an indented line under each key; at 120 it opens too. (The
# defaults here: no config file.)
rm "$XDG_CONFIG_HOME/warroom/config.yaml"
for size in "80 24" "120 35"; do
  set -- $size
  tui_console "h$1" "$1" "$2"
  expect_screen "the list at $1 (two incidents open)" "h$1" "Checkout errors"
  keys "h$1" ':'
  keys_literal "h$1" "open INC-1"
  keys "h$1" Enter
  expect_screen "room at $1" "h$1" " INC-1  SEV2"
  keys "h$1" '?'
  expect_screen "help at $1" "h$1" "keys in the war room (room)"
  expect_screen "key line at $1" "h$1" "Tab      focus-next"
  s=$(screen "h$1")
  if printf '%s\n' "$s" | grep -A1 "Tab      focus-next" | tail -1 | grep -qE '│ +move to the next pane'; then
    ok
  else
    fail "at $1 columns the description is not on its own line: $s"
  fi
  if printf '%s\n' "$s" | grep -q "Tab      focus-next .*move to the next pane"; then
    fail "at $1 columns key and description share a line"
  else ok; fi
  keys "h$1" q
  wait_gone "h$1" "─ Help " && ok || fail "q did not close the help at $1"
  keys "h$1" q
  expect_screen "quit at $1" "h$1" "__EXIT=0"
done
finish
