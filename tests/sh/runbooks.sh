#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runbooks in an incident: every shipped runbook lints clean; attach, tick, skip with a reason, concurrent ticks
# of one step from two processes, the copy pinned by hash when the YAML changes, the phase gate.
. "$(dirname "$0")/lib.sh"
export WARROOM_CLOCK="2026-03-01T09:00:00Z+"

expect_rc "every shipped runbook lints" 0 wr runbook lint "$WR_SRC"/runbooks/*.yaml
check_eq "ten or more runbooks" "$(echo "$OUT" | grep -c ': ok (')" "$(ls "$WR_SRC"/runbooks/*.yaml | wc -l)"
check "at least ten" [ "$(ls "$WR_SRC"/runbooks/*.yaml | wc -l)" -ge 10 ]
printf 'id: x\ntitle: X\nversion: 1\ndescription: d\nowner: o\napplies_to:\n  types: [security]\n  assets: [database]\nroles: [scribe]\nphases:\n  containment:\n    - id: a\n      title: A\n      role: scribe\n      mandatroy: true\n' >"$T/bad.yaml"
expect_rc "broken runbook" 1 wr runbook lint "$T/bad.yaml"
check_contains "position and suggestion" "$ERR" "bad.yaml:15:7: unknown key 'mandatroy' (did you mean 'mandatory'?)"
expect_rc "runbook list" 0 wr runbook list
check_contains "list has leaked creds" "$OUT" "leaked-cloud-credentials"

# A team runbook in the config dir, so the test can change it later.
mkdir -p "$XDG_CONFIG_HOME/warroom/runbooks"
cat >"$XDG_CONFIG_HOME/warroom/runbooks/team-db.yaml" <<'YAML'
id: team-db
title: Team database runbook
version: 1
description: For tests.
owner: db-team
applies_to:
  types: [data-breach]
  assets: [database]
roles: [responder, scribe]
phases:
  detection:
    - id: scope
      title: Scope the access
      role: responder
  containment:
    - id: revoke
      title: Revoke the credentials
      role: responder
    - id: snapshot
      title: Snapshot the database
      role: scribe
      mandatory: false
  recovery:
    - id: restore
      title: Restore service
      role: responder
YAML
wr init >/dev/null
wr declare "DB exfiltration" --type data-breach >/dev/null
expect_rc "suggest" 0 wr runbook suggest
check_contains "suggests by type" "$OUT" "team-db"
expect_rc "attach" 0 wr runbook attach team-db
expect_rc "attach twice" 4 wr runbook attach team-db
check_contains "attached already" "$ERR" "already attached"
expect_rc "attach unknown" 2 wr runbook attach team-dbb
check_contains "runbook suggestion" "$ERR" "did you mean team-db"

expect_rc "tick" 0 wr step scope done
expect_rc "skip without reason" 2 wr step snapshot skip
expect_rc "skip with reason" 0 wr step snapshot skip --reason "no snapshot rights yet"
expect_rc "assign owner" 0 wr step revoke assign ana
expect_rc "unknown step" 3 wr step nope done
expect_rc "note on a step" 0 wr step scope note "Only the billing schema was read"
expect_rc "note on an unknown step" 3 wr step nope note "x"
check_contains "step note in the timeline" "$(wr tail)" "on step scope: Only the billing schema was read"
expect_rc "runbook list json" 0 wr --json runbook list
check_eq "runbook list json valid" "$(json_valid "$OUT")" 1
expect_rc "show" 0 wr show
check_contains "done marker" "$OUT" "[x]* scope"
check_contains "skipped with reason" "$OUT" "(no snapshot rights yet)"
check_contains "owner" "$OUT" "@ana"
check_contains "note count" "$OUT" "[1 note]"

# Two operators tick the same step at the same moment: one wins, the other is told who did it first.
for round in 1 2 3 4 5; do
  wr step revoke todo >/dev/null 2>&1
  ( while [ ! -e "$T/go$round" ]; do :; done; wr --as op1 step revoke done ) >"$T/a.out" 2>"$T/a.err" &
  p1=$!
  ( while [ ! -e "$T/go$round" ]; do :; done; wr --as op2 step revoke done ) >"$T/b.out" 2>"$T/b.err" &
  p2=$!
  sleep 0.05; touch "$T/go$round"
  wait $p1; r1=$?; wait $p2; r2=$?
  check_eq "round $round: one wins" "$(( (r1 == 0) + (r2 == 0) ))" 1
  check_eq "round $round: the other conflicts" "$(( (r1 == 4) + (r2 == 4) ))" 1
  loser_err=$(cat "$T/a.err" "$T/b.err")
  check_contains "round $round: loser told who" "$loser_err" "is already done: op"
done
check_eq "no doubled ticks" "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind='step.changed' AND json_extract(payload,'\$.step')='revoke' AND json_extract(payload,'\$.new')='done'")" 5

# The phase gate: leaving detection/containment with mandatory steps open needs a reason.
wr step revoke todo >/dev/null
expect_rc "status containment" 0 wr status containment
expect_rc "gate" 13 wr status eradication
check_contains "gate names the step" "$ERR" "revoke"
expect_rc "force without reason" 2 wr status eradication --force
expect_rc "force with reason" 0 wr status eradication --force --reason "revocation waits for the vendor"
check_contains "override recorded" "$(wr tail)" "override: revocation waits for the vendor"

# Editing the YAML later never changes the incident's copy; show says a newer version exists.
sed -i 's/version: 1/version: 2/; s/Restore service/Restore the service (v2)/' "$XDG_CONFIG_HOME/warroom/runbooks/team-db.yaml"
expect_rc "show after edit" 0 wr show
check_contains "keeps the old title" "$OUT" "Restore service"
check_not_contains "not the new title" "$OUT" "(v2)"
check_contains "newer version noticed" "$OUT" "a newer version is on disk (v2"
check_eq "stored copy unchanged" "$(sqlite3 "$DB" "SELECT json_extract(content, '\$.version') FROM attached")" 1
finish
