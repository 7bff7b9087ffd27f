#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two responders press Space on the same step at the same instant, twenty times on twenty steps: a tick is
# "todo -> done" as each console showed it, never a toggle. Each step ends done with exactly one
# todo -> done event, nothing goes back to todo, and the console that lost says who was first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

ROUNDS=20
wr init >/dev/null
wr declare "Payments API down" --severity SEV2 >/dev/null
wr runbook attach INC-1 service-outage-degradation >/dev/null
wr runbook attach INC-1 leaked-cloud-credentials >/dev/null
# The steps in the checklist's order (phase, then attach order, then step order).
mapfile -t STEPS < <(stateq "SELECT s.step FROM steps s JOIN attached a ON a.incident = s.incident AND a.runbook = s.runbook
                          WHERE s.incident = 1 ORDER BY s.phase_index, a.seq, s.ord")
check "enough steps for $ROUNDS rounds (${#STEPS[@]})" [ "${#STEPS[@]}" -ge "$ROUNDS" ]

tui_console a 120 40 --as ana
tui_console b 120 40 --as ben
expect_screen "a shows the checklist" a "[ ]* "
expect_screen "b shows the checklist" b "[ ]* "
expect_screen "both in the room" a "In the room (2)"

ana_lost=0 ben_lost=0
for ((i = 0; i < ROUNDS; i++)); do
  step=${STEPS[$i]}
  # Both keys in one tmux command: delivered to both terminals at the same instant.
  TM send-keys -t a Space \; send-keys -t b Space
  # Wait for the step to be done and for the losing console to say who was first.
  loser=""
  for ((k = 0; k < 100; k++)); do
    if screen a | grep -qF "step $step is already done: ben did it at"; then loser=a; break; fi
    if screen b | grep -qF "step $step is already done: ana did it at"; then loser=b; break; fi
    sleep 0.05
  done
  if [ -n "$loser" ]; then ok; else fail "round $i ($step): no console said who was first:
$(screen a | tail -1)
$(screen b | tail -1)"; fi
  [ "$loser" = a ] && ana_lost=$((ana_lost + 1))
  [ "$loser" = b ] && ben_lost=$((ben_lost + 1))
  check_eq "round $i: $step is done" "$(stateq "SELECT state FROM steps WHERE incident = 1 AND step = '$step'")" done
  check_eq "round $i: one todo -> done event for $step" \
    "$(dbq "SELECT count(*) FROM events WHERE kind = 'step.changed' AND $(jf step) = '$step'
            AND $(jf old) = 'todo' AND $(jf new) = 'done'")" 1
  # Both move to the next step.
  TM send-keys -t a j \; send-keys -t b j
done
echo "lost the race: ana $ana_lost times, ben $ben_lost times" >&2
check_eq "every step ticked once, none back to todo" \
  "$(dbq "SELECT count(*) || '/' || sum(CASE WHEN $(jf new) = 'todo' THEN 1 ELSE 0 END) FROM events WHERE kind = 'step.changed'")" \
  "$ROUNDS/0"
check_eq "the $ROUNDS steps are done" \
  "$(stateq "SELECT count(*) FROM steps WHERE incident = 1 AND state = 'done'")" "$ROUNDS"
# Every change carried what its console showed.
check_eq "each tick said todo -> done" \
  "$(dbq "SELECT count(*) FROM events WHERE kind = 'step.changed' AND $(jf expect) = 'todo'")" \
  "$ROUNDS"

# The refresh window: another operator's tick of the selected step reaches b's screen, and b's Space comes
# right after it (the operator saw "to do" and pressed). It was meant for what b showed before: refused with
# who was first, never a toggle back to to-do.
next=${STEPS[$ROUNDS]}
wr --as cli-bot step INC-1 "$next" done >/dev/null
for ((k = 0; k < 100; k++)); do screen b | grep -F -- "$next" | grep -qF "[x]" && break; sleep 0.02; done
keys b Space
expect_screen "b says who was first" b "step $next is already done: cli-bot did it at"
check_eq "still done" "$(stateq "SELECT state FROM steps WHERE incident = 1 AND step = '$next'")" done
check_eq "no toggle back" "$(dbq "SELECT count(*) FROM events WHERE kind = 'step.changed' AND $(jf new) = 'todo'")" 0
keys a q
keys b q
expect_screen "a quits" a "__EXIT=0"
expect_screen "b quits" b "__EXIT=0"
check_eq "integrity" "$(db_integrity)" ok
finish
