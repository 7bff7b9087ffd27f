#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 14's smaller points on the command line: timeline entry numbers per incident (pin/unpin, tail, show,
# the answers of writes, the postmortem), multi-line notes (the first line and a marker in tail, kept as
# written in the postmortem), runbook suggest ranked with its reasons, report counting declined, cancelled and
# merged incidents apart, and the incident type's "did you mean".
. "$(dirname "$0")/lib.sh"
export WARROOM_CLOCK="2026-03-01T09:00:00Z+"
wr init >/dev/null

# Two incidents written in turn: each numbers its own entries from #1.
wr declare "First" --type security >/dev/null
wr declare "Second" --type credential-leak >/dev/null
expect_rc "note on INC-1" 0 wr note INC-1 "one on the first"
check_eq "the answer names the entry's number in INC-1" "$OUT" "INC-1: noted (#2)"
expect_rc "note on INC-2" 0 wr note INC-2 "one on the second"
check_eq "INC-2 counts its own" "$OUT" "INC-2: noted (#2)"
wr note INC-1 "another on the first" >/dev/null
expect_rc "note --json" 0 wr --json note INC-2 "$(printf 'line one\nline two\nline three')"
check_contains "the JSON answer has n" "$OUT" '"n":3'
check_contains "and the log's seq" "$OUT" '"seq":6'
expect_rc "tail INC-2" 0 wr tail INC-2
check_eq "INC-2's numbers run 1..3" "$(echo "$OUT" | cut -c1-3 | tr -d ' ' | tr '\n' ' ')" "#1 #2 #3 "
check_contains "a multi-line note: its first line and a marker" "$OUT" "line one [+2 lines]"
check_not_contains "not its other lines" "$OUT" "line two"
expect_rc "tail --all" 0 wr tail --all
check_contains "tail --all numbers per incident" "$OUT" "#3     09:00:00 INC-1"
check_contains "... and INC-2's own" "$OUT" "#3     09:00:00 INC-2"
expect_rc "tail --json" 0 wr --json tail INC-2
check_contains "tail --json: n" "$(echo "$OUT" | tail -1)" '"n":3'
check_contains "tail --json: the whole text" "$(echo "$OUT" | tail -1)" 'line one\nline two\nline three'

# pin N names INC-2's own entry #3 (the log's seq 6).
expect_rc "pin 3 of INC-2" 0 wr pin INC-2 3
check_eq "pinned that entry" "$(stateq "SELECT event_seq FROM pins WHERE incident = 2")" 6
check_eq "the answer" "$OUT" "INC-2: pinned entry #3 (#4)"
expect_rc "pin #2 of INC-1" 0 wr pin INC-1 '#2'
check_eq "INC-1's #2 is the log's seq 3" "$(stateq "SELECT event_seq FROM pins WHERE incident = 1")" 3
expect_rc "pin an entry INC-2 does not have" 3 wr pin INC-2 9
check_contains "says how many there are" "$ERR" "INC-2 has no timeline entry #9 (its entries are #1 to #4)"
expect_rc "pin twice" 4 wr pin INC-2 3
check_contains "conflict names the entry's number" "$ERR" "entry #3 is already pinned"
expect_rc "pin a non-number" 2 wr pin INC-2 x3
expect_rc "tail after the pin" 0 wr tail INC-2
check_contains "the pin's own entry names #3" "$OUT" "pinned entry #3"
check_contains "the pinned entry is marked" "$OUT" "#3     09:00:00 $(id -un | cut -c1-12)"
expect_rc "unpin 3" 0 wr unpin INC-2 3
expect_rc "show" 0 wr show INC-2
check_contains "show numbers the latest entries per incident" "$OUT" "#5 "

# The postmortem: the same numbers, the multi-line note as written (a hard break and an indent per line).
wr pin INC-2 3 >/dev/null
expect_rc "postmortem" 0 wr postmortem INC-2
check_contains "timeline numbers" "$OUT" "- #3 2026-03-01 09:00:00"
check_contains "key moment numbered" "$(echo "$OUT" | sed -n '/## Key moments/,/## Timeline/p')" "- #3 "
check_contains "the note's lines as written" "$OUT" "$(printf 'line one  \n  line two  \n  line three')"
expect_rc "postmortem --json" 0 wr postmortem INC-2 --json
check_eq "json valid" "$(json_valid "$OUT")" 1
check_contains "json entries carry n" "$OUT" '"n":3,"seq":6'

# Incident types: a near miss of a known type is refused with the suggestion; --new-type takes it; a type
# unlike any known one is a new type.
expect_rc "type typo" 2 wr declare "Typo" --type credentail-leak
check_contains "did you mean" "$ERR" 'is not a known incident type (did you mean credential-leak?)'
check_eq "nothing declared" "$(stateq "SELECT count(*) FROM incidents")" 2
expect_rc "--new-type takes it" 0 wr declare "Meant" --type credentail-leak --new-type
expect_rc "a new type unlike any" 0 wr declare "Printer on fire" --type printer-fire
expect_rc "a type incidents already have" 0 wr declare "Again" --type printer-fire
# The same on `set type`: a near miss refused and nothing changed; --new-type takes it.
last=$(stateq "SELECT max(id) FROM incidents")
expect_rc "set type typo" 2 wr set "INC-$last" type printer-fyre
check_contains "set: did you mean" "$ERR" 'did you mean printer-fire?'
check_eq "set: the type unchanged" "$(stateq "SELECT type FROM incidents WHERE id = $last")" printer-fire
expect_rc "set type --new-type takes it" 0 wr set "INC-$last" --new-type type printer-fyre
check_eq "set: the new type" "$(stateq "SELECT type FROM incidents WHERE id = $last")" printer-fyre

# runbook suggest: best first, with why.
wr declare "Leaked key" --type credential-leak >/dev/null
inc=$(stateq "SELECT max(id) FROM incidents")
expect_rc "suggest by type only" 0 wr runbook suggest "INC-$inc"
check_contains "says why" "$OUT" "type credential-leak matches; no assets recorded"
wr asset "INC-$inc" add identity iam-user-ci >/dev/null
wr asset "INC-$inc" add api public-api >/dev/null
expect_rc "suggest with assets" 0 wr runbook suggest "INC-$inc"
first=$(echo "$OUT" | head -1 | cut -d' ' -f1)
check_eq "both asset kinds and the type rank first" "$first" "leaked-cloud-credentials"
check_contains "its reason" "$OUT" "type credential-leak matches; 2 of 2 asset kinds match (api, identity)"
check_contains "a runbook of another type but a shared asset kind is offered, lower" "$OUT" \
  "type credential-leak does not match"
order=$(echo "$OUT" | grep -v '^ ' | cut -d' ' -f1 | tr '\n' ' ')
check_contains "type matches before asset-only matches" "$order" "leaked-cloud-credentials api-abuse compromised-user-account"
expect_rc "suggest --json" 0 wr --json runbook suggest "INC-$inc"
check_eq "json valid" "$(json_valid "$OUT")" 1
check_contains "json has why" "$OUT" '"why":"type credential-leak matches; 2 of 2 asset kinds match (api, identity)"'

# report: declined, cancelled and merged counted apart.
wr declare "Not one" >/dev/null; no=$(stateq "SELECT max(id) FROM incidents")
wr status "INC-$no" declined --reason "false positive" >/dev/null || fail "decline"
wr declare "Dropped" >/dev/null; off=$(stateq "SELECT max(id) FROM incidents")
wr status "INC-$off" cancelled --reason "not worth it" >/dev/null || fail "cancel"
wr declare "Dup" >/dev/null; dup=$(stateq "SELECT max(id) FROM incidents")
wr status "INC-$dup" merged --into INC-1 >/dev/null || fail "merge"
real=$(stateq "SELECT count(*) FROM incidents WHERE status NOT IN ('declined', 'cancelled', 'merged')")
expect_rc "report" 0 wr report
check_contains "real ones counted" "$OUT" "incidents: $real;"
check_contains "the others apart" "$OUT" "not counted: 1 declined, 1 cancelled, 1 merged"
expect_rc "report --json" 0 wr --json report
check_contains "json counts" "$OUT" '"merged_left_out":1,"declined_left_out":1,"cancelled_left_out":1'
finish
