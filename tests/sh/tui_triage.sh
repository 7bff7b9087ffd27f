#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The triage view: T shows new alerts newest first with source, severity, count and last seen; the header
# badge counts them; alerts arriving are shown live; d declares an incident from the selected alert, a
# attaches one to the shown incident, x dismisses one with a reason asked at the prompt.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
alert() { printf '%s\n' "$1" | wr alert --no-rules >/dev/null; }
alert '{"source":"prometheus","title":"Disk almost full on db-1","severity":"warning","labels":{"host":"db-1"}}'
alert '{"source":"guardduty","title":"Root credentials used","severity":"critical","labels":{"account":"prod"}}'
# The same alert again: folded (count 2).
alert '{"source":"guardduty","title":"Root credentials used","severity":"critical","labels":{"account":"prod"}}'

tui_console a 140 40
expect_screen "badge" a "2 alerts (2 firing)"
keys a T
expect_screen "triage view" a "─ Triage "
expect_screen "frame counts" a "2 awaiting triage, 2 firing"
expect_screen "alert row with source, severity, count" a "SEV1  guardduty"
expect_screen "count folded" a "x2"
expect_screen "last seen" a "ago"
# Newest first: the GuardDuty alert (seen last) is above the disk one.
row_gd=$(screen a | grep -n "Root credentials used" | cut -d: -f1)
row_disk=$(screen a | grep -n "Disk almost full" | cut -d: -f1)
if [ -n "$row_gd" ] && [ -n "$row_disk" ] && [ "$row_gd" -lt "$row_disk" ]; then ok; else fail "not newest first"; fi

# A new alert shows up without a key press, and the badge follows.
alert '{"source":"prometheus","title":"Checkout latency p99 over 2s","severity":"high","labels":{"svc":"checkout"}}'
expect_screen "live" a "Checkout latency p99 over 2s"
expect_screen "badge follows" a "3 alerts (3 firing)"

# The selection stayed on the alert it was on; g goes to the top (the newest: checkout latency), and d
# declares an incident from it and opens its room.
keys a g
keys a d
expect_screen "declared from the alert" a "warroom  INC-1  SEV2  triage"
expect_screen "title from the alert" a "Checkout latency p99 over 2s"
expect_screen "its war room" a "─ Timeline "
check_eq "alert declared" "$(sql "SELECT triage || ' ' || incident FROM alerts WHERE title LIKE 'Checkout%'")" "declared 1"

# a attaches the selected alert (down once: the disk alert) to the shown incident.
keys a T
expect_screen "back in triage" a "2 awaiting triage"
keys a j
keys a a
for _ in $(seq 1 40); do
  [ "$(sql "SELECT triage FROM alerts WHERE title LIKE 'Disk%'")" = attached ] && break
  sleep 0.05
done
check_eq "attached to INC-1" "$(sql "SELECT triage || ' ' || incident FROM alerts WHERE title LIKE 'Disk%'")" "attached 1"
expect_screen "one left" a "1 awaiting triage"

# x asks for a reason; an empty answer dismisses nothing, a reason dismisses it.
keys a x
expect_screen "reason asked" a "Dismiss #2 (Root credentials used)? Reason:"
keys a Enter
expect_screen "needs a reason" a "not dismissed (a dismissal needs a reason)"
keys a x
keys_literal a "break-glass drill by the SRE lead"
keys a Enter
for _ in $(seq 1 40); do
  [ "$(sql "SELECT triage FROM alerts WHERE title LIKE 'Root%'")" = dismissed ] && break
  sleep 0.05
done
check_eq "dismissed with the reason" "$(sql "SELECT triage || ': ' || reason FROM alerts WHERE title LIKE 'Root%'")" \
  "dismissed: break-glass drill by the SRE lead"
expect_screen "empty queue" a "No alert is waiting for triage."
wait_gone a "alerts (" 5
expect_no_screen "badge gone" a "firing)"
# Esc goes back to the war room; :triage opens the view from the prompt.
esc a "─ Triage "
expect_screen "back in the room" a "─ Timeline "
keys a ':'
keys_literal a "triage"
keys a Enter
expect_screen ":triage" a "─ Triage "
keys a q
expect_screen "quit" a "__EXIT=0"
finish
