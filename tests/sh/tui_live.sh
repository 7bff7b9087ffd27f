#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two consoles on one database: what one operator does (and what the CLI writes) appears on the other
# with no key pressed there (how fast is measured by bench/bench_propagation, not asserted here); who is in the room; an idle console neither draws nor spins,
# and a new timeline entry costs a few hundred bytes of terminal output, not a repaint.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

ms() { date +%s%3N; }
# live NAME TEXT: 0 once the screen of NAME shows TEXT, 1 if it has not after 15 s (a deadline for a hung
# console, not a speed target); the time it took is logged.
live() {
  local start now
  start=$(ms)
  while :; do
    screen "$1" | grep -qF -- "$2" && break
    now=$(ms)
    if [ $((now - start)) -gt 15000 ]; then
      echo "  waited $((now - start)) ms for [$2]" >&2
      return 1
    fi
    sleep 0.02
  done
  echo "  [$2] after $(($(ms) - start)) ms" >&2
  return 0
}

wr init >/dev/null
wr declare "Live updates" --severity SEV2 >/dev/null
tui_console a 120 40
tui_console b 120 40
expect_screen "a open" a "Live updates"
expect_screen "b open" b "Live updates"
expect_screen "both in the room (a)" a "In the room (2)"
expect_screen "both in the room (b)" b "In the room (2)"

# An act in a shows in b, no key pressed in b.
keys a ':'
keys_literal a "note written in console a"
keys a Enter
check "a's note in b, no key pressed there" live b "written in console a"
keys a ':'
keys_literal a "assign incident-commander dana"
keys a Enter
expect_screen "a asks: dana is new here" a "dana is not a user of this host"
keys a y
check "a's assignment in b, no key pressed there" live b "Incident commander      dana"
keys a ':'
keys_literal a "severity SEV1"
keys a Enter
check "a's severity change in b's header, no key pressed there" live b "INC-1  SEV1  triage"

# A CLI write shows in both.
wr note INC-1 "written by the CLI" >/dev/null
check "CLI note in a, no key pressed there" live a "written by the CLI"
check "CLI note in b, no key pressed there" live b "written by the CLI"
wr runbook attach INC-1 ddos-abnormal-traffic >/dev/null
check "CLI attach: b's checklist, no key pressed there" live b "attached runbook ddos-abnormal-traffic"
expect_screen "checklist in a" a "[ ]* "

# a leaves: b sees one console left.
keys a q
expect_screen "a quit" a "__EXIT=0"
expect_screen "b sees a leave" b "In the room (1)" 3

# An idle console draws nothing: 4 s of nothing (its CPU is measured by bench/bench_crowd, not asserted
# here). The wall clock is fixed so that no minute
# boundary (the header's clock, the elapsed time, the update countdown) falls inside the 4 s by chance.
tui_start c 120 40 "WARROOM_CLOCK=2026-11-23T10:00:30Z $WR_BIN --db '$T/demo.db' demo"
expect_screen "demo open" c "Leaked AWS access key"
sleep 1
pid=$(tui_pid c)
check "console pid found" [ -n "$pid" ]
: >"$T/c.out"
TM pipe-pane -t c -o "cat >> '$T/c.out'"
cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
sleep 4 # the window watched (not a wait for anything): how much CPU it takes is bench_crowd's to measure
cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
idle_bytes=$(wc -c <"$T/c.out")
echo "idle: $((cpu1 - cpu0)) ticks, $idle_bytes bytes in 4 s" >&2
check "idle output: nothing ($idle_bytes bytes)" [ "$idle_bytes" -eq 0 ]
# One new entry: a few hundred bytes (the timeline scrolls with the terminal's scroll region).
: >"$T/c.out"
wr_demo_db() { "$WR_BIN" --db "$T/demo.db" "$@"; }
wr_demo_db note "one more entry for the byte count" >/dev/null
expect_screen "entry arrived" c "one more entry for the byte count"
sleep 0.5
entry_bytes=$(wc -c <"$T/c.out")
echo "one entry: $entry_bytes bytes" >&2
check "a new entry costs a few hundred bytes ($entry_bytes)" [ "$entry_bytes" -gt 0 ] && [ "$entry_bytes" -le 600 ]
check_not_contains "no clear screen for an entry" "$(cat -v "$T/c.out")" "^[[2J"
TM pipe-pane -t c
finish
