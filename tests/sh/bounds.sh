#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Input bounds: one limit for every reason (1000 bytes, refused beyond, nothing written); --wait must be a
# number; an incident number too large for any incident is refused, never taken as note text for the one open
# incident or clamped to another number; entry and item numbers are refused, not clamped; every drill lint
# error has a line and a column.
. "$(dirname "$0")/lib.sh"

wr init >/dev/null
wr declare "Bounds" >/dev/null
wr runbook attach INC-1 leaked-cloud-credentials >/dev/null || fail "runbook attach"
STEP=$(sqlite3 "$DB" "SELECT step FROM steps WHERE mandatory = 0 LIMIT 1")
STEP2=$(sqlite3 "$DB" "SELECT step FROM steps WHERE mandatory = 0 LIMIT 1 OFFSET 1")
wr action INC-1 add "rotate keys" >/dev/null
r1000=$(printf 'r%.0s' $(seq 1 1000))
r1001="${r1000}x"
r120k=$(head -c 120000 /dev/zero | tr '\0' 'r')
n0=$(events)

# --- every reason: 1000 bytes are taken, 1001 (and 120,000) refused with the limit named
expect_rc "step skip: 120,000-byte reason" 2 wr step INC-1 "$STEP" skip --reason "$r120k"
check_contains "the limit is named" "$ERR" "at most 1000"
expect_rc "step block: 1001-byte reason" 2 wr step INC-1 "$STEP" block --reason "$r1001"
check_contains "the limit is named" "$ERR" "at most 1000"
expect_rc "set with a 1001-byte reason" 2 wr set INC-1 summary "s" --reason "$r1001"
check_contains "the limit is named" "$ERR" "at most 1000"
expect_rc "status override with a 1001-byte reason" 2 wr status INC-1 containment --force --reason "$r1001"
check_contains "the limit is named" "$ERR" "at most 1000"
expect_rc "action done with a 1001-byte reason" 2 wr action INC-1 wontdo 1 --reason "$r1001"
check_contains "the limit is named" "$ERR" "at most 1000"
expect_rc "milestone correction with a 1001-byte reason" 2 wr milestone INC-1 detected -1h --reason "$r1001"
check_contains "the limit is named" "$ERR" "at most 1000"
check_eq "nothing written by the refused reasons" "$(events)" "$n0"
expect_rc "step skip: a 1000-byte reason is taken" 0 wr step INC-1 "$STEP" skip --reason "$r1000"
expect_rc "set: a 1000-byte reason is taken" 0 wr set INC-1 summary "s" --reason "$r1000"
n0=$(events)

# --- --wait
for w in '' ' 5' '5 ' '-1' '3601' '1e3' 'x'; do
  expect_rc "--wait '$w' refused" 2 wr --wait "$w" note INC-1 "never"
  check_contains "--wait says what it takes" "$ERR" "--wait takes a number of seconds"
done
expect_rc "--wait= (empty) refused" 2 wr --wait= note INC-1 "never"
expect_rc "--wait 0 is a number" 0 wr --wait 0 note INC-1 "now"
check_eq "only the --wait 0 note" "$(events)" "$((n0 + 1))"
n0=$(events)

# --- incident numbers beyond any incident
notes() { sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'note'"; }
k=$(notes)
expect_rc "note INC-9223372036854775807: no such incident" 3 wr note INC-9223372036854775807 x
check_contains "names the incident" "$ERR" "INC-9223372036854775807"
expect_rc "note INC-9223372036854775808: not an incident number" 2 wr note INC-9223372036854775808 x
check_contains "says why" "$ERR" "not an incident"
expect_rc "note 99999999999999999999: not an incident number" 2 wr note 99999999999999999999 x
expect_rc "note INC-0" 2 wr note INC-0 x
expect_rc "show INC-99999999999999999999" 2 wr show INC-99999999999999999999
check_eq "no note written to INC-1 (or anywhere)" "$(notes)" "$k"
check_eq "nothing written at all" "$(events)" "$n0"

# --- entry and item numbers: refused, not clamped
for n in 99999999999999999999 9223372036854775808 -1 0 ' 5' '5x' '+5' ''; do
  expect_rc "pin INC-1 '$n' refused" 2 wr pin INC-1 "$n"
  check_contains "pin says what it takes" "$ERR" "not an entry number"
done
expect_rc "pin INC-1 9223372036854775807: no such entry" 3 wr pin INC-1 9223372036854775807
for n in 99999999999999999999 -2 ' 1'; do
  expect_rc "action done '$n' refused" 2 wr action INC-1 done "$n"
done
expect_rc "tail --lines 99999999999 refused" 2 wr tail INC-1 --lines 99999999999
expect_rc "tail --lines -5 refused" 2 wr tail INC-1 --lines -5
expect_rc "tail --lines 2147483647 is fine" 0 wr tail INC-1 --lines 2147483647
check_eq "nothing pinned, nothing closed" "$(events)" "$n0"

# --- drill lint: every error has file:line:column
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, attach: leaked-cloud-credential}\n' >"$T/d1.yaml"
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, attach: leaked-cloud-credentials}\n  - {at: 1s, step: {id: disable-keys}}\n' >"$T/d2.yaml"
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, step: {id: a, runbook: b}}\n' >"$T/d3.yaml"
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, note: a, status: triage}\n  - {at: 5m, note: a}\n  - {at: 1m, note: b}\n' >"$T/d4.yaml"
for f in d1 d2 d3 d4; do
  expect_rc "drill lint $f" 1 wr drill lint "$T/$f.yaml"
  lines=$(printf '%s\n' "$ERR" | grep -v "files\? failed" | grep -c .)
  with_col=$(printf '%s\n' "$ERR" | grep -cE "^$T/$f\.yaml:[0-9]+:[0-9]+: ")
  check "drill lint $f: errors given ($lines)" [ "$lines" -ge 1 ]
  check_eq "drill lint $f: every error with line and column" "$with_col" "$lines"
done
check_contains "the runbook error points at the attach" "$(wr drill lint "$T/d1.yaml" 2>&1)" "d1.yaml:5:22: no runbook"
check_contains "the step error points at the step" "$(wr drill lint "$T/d2.yaml" 2>&1)" "d2.yaml:6:20: no step"
finish
