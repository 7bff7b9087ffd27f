#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drills: list and lint (with the shipped runbooks), a run at high speed producing the expected timeline
# (kinds, actors and texts in order, all with source "drill", a drill incident), refused events, and replay
# (at high speed, timing kept; Ctrl-C stops cleanly).
. "$(dirname "$0")/lib.sh"
export WARROOM_CLOCK=2026-03-01T09:00:00Z+
wr init >/dev/null

expect_rc "drill list" 0 wr drill list
check_contains "leaked credentials" "$OUT" "leaked-credentials                26 events      14m"
check_contains "database exfiltration" "$OUT" "database-exfiltration             29 events   17m30s"
expect_rc "lint shipped" 0 wr drill lint "$WR_SRC"/drills/*.yaml
check_contains "lint ok" "$OUT" "leaked-credentials.yaml: ok (leaked-credentials, 26 events over 14m)"

# The leaked-credentials scenario at 100000x: about 10 ms of sleeping.
start=$(date +%s%N)
expect_rc "drill run" 0 wr --as trainer drill run leaked-credentials --speed 100000
took=$((($(date +%s%N) - start) / 1000000))
check "ran fast (${took} ms)" test "$took" -lt 10000
check_contains "progress" "$OUT" "[+00:04:00] INC-1 alice: status -> containment"
check_contains "done" "$OUT" "drill INC-1 done: 29 events written, 0 refused"
check_eq "drill kind" "$(stateq "SELECT kind FROM incidents WHERE id = 1")" drill
check_eq "all from the drill" "$(dbq "SELECT count(*) FROM events WHERE source != 'drill'")" 0
check_eq "final state" "$(stateq "SELECT severity || ' ' || status FROM incidents WHERE id = 1")" "SEV1 eradication"
got=$(dbq "SELECT kind || ' ' || actor || coalesce(' ' || $(jf text), '')
                     || coalesce(' ' || $(jf step) || '=' || $(jf new), '')
                     || coalesce(' ' || $(jf field) || '=' || $(jf new), '')
                     || coalesce(' ' || $(jf role) || '=' || $(jf user), '')
                     FROM events WHERE incident = 1 ORDER BY seq")
want="incident.declared trainer
alert.attached trainer
role.assigned alice incident-commander=alice
note alice Taking IC. Drill rules: real commands only against the sandbox account 210987654321.
runbook.attached alice
role.assigned alice responder=dave
role.assigned alice scribe=carol
step.changed dave identify-key-and-owner=in-progress
note dave AKIAIOSFODNN7EXAMPLE is an access key of IAM user ci-deployer (payments CI). Attached policies allow s3:GetObject on acme-prod-secrets and ecr:*.
step.changed dave identify-key-and-owner=done
note carol Saved the fork's commit page and the raw ci.env (sha256 recorded in the evidence log) before anyone deletes the fork.
step.changed carol preserve-exposure=done
incident.changed alice status=containment
step.changed dave disable-key=in-progress
step.changed dave disable-key=done
note dave aws iam update-access-key --status Inactive done; get-access-key-last-used says last used 11 minutes ago from 198.51.100.23, service s3.
alert.attached trainer
incident.changed alice severity=SEV1
incident.changed alice impact=Possible read of s3://acme-prod-secrets by an unknown party between 08:14 and 08:52 UTC. No customer-facing outage.
step.changed dave revoke-sessions=done
role.assigned alice communications-liaison=judy
note judy Told the payments team lead and the CI owners: ci-deployer's key is disabled, deploys will fail until a replacement is issued.
step.changed judy notify-owner=done
incident.changed alice status=eradication
role.assigned alice subject-matter-expert=erin
step.changed erin trace-key-activity=in-progress
note alice DRILL CONTROL: simulated responders stop here. Your turn: trace the key's CloudTrail activity, find and remove what it created, scan the repositories, rotate what it could read."
check_eq "the drill's timeline" "$got" "$want"
check_eq "drill alerts labelled" "$(stateq "SELECT count(*) FROM alerts WHERE json_extract(labels, '\$.drill') = 'leaked-credentials' AND json_extract(labels, '\$.drill_incident') = 'INC-1' AND incident = 1")" 2
expect_rc "list shows drill" 0 wr list
check_contains "[DRILL]" "$OUT" "[DRILL] AWS access key of ci-deployer"

# A second run is a new drill incident with its own alerts.
expect_rc "second run" 0 wr drill run leaked-credentials --speed 100000
check_eq "own alerts" "$(stateq "SELECT count(*) FROM alerts WHERE incident = 2")" 2

# Refused events are reported and counted; the drill goes on.
cat >"$T/gate.yaml" <<'YAML'
id: gate-practice
title: Phase gate practice
incident: {title: "Gate practice", severity: SEV3, type: credential-leak}
events:
  - {at: 0s, attach: leaked-cloud-credentials}
  - {at: 1s, status: containment}
  - {at: 2s, note: still running}
  - {at: 3s, status: containment, force: true, reason: "drill: skip detection"}
YAML
expect_rc "refused event" 1 wr drill run "$T/gate.yaml" --speed 1000
check_contains "gate refused" "$ERR" "[+00:00:01] INC-3 "
check_contains "gate reason" "$ERR" "REFUSED: INC-3 has 2 mandatory runbook steps still open"
check_contains "went on" "$OUT" "note: still running"
check_contains "counted" "$OUT" "4 events written, 1 refused"

# Lint: strict errors with positions, unknown runbooks and steps.
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, note: hi, severty: SEV1}\n' >"$T/bad1.yaml"
expect_rc "lint unknown key" 1 wr drill lint "$T/bad1.yaml"
check_contains "did you mean" "$ERR" "bad1.yaml:5:24: unknown key 'severty' (did you mean 'severity'?)"
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 5m, note: a}\n  - {at: 1m, note: b}\n' >"$T/bad2.yaml"
expect_rc "lint order" 1 wr drill lint "$T/bad2.yaml"
check_contains "time order" "$ERR" "bad2.yaml:6:10: events must be in time order"
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, attach: leaked-cloud-credential}\n' >"$T/bad3.yaml"
expect_rc "lint runbook" 1 wr drill lint "$T/bad3.yaml"
check_contains "no runbook" "$ERR" "bad3.yaml:5:22: no runbook 'leaked-cloud-credential' (did you mean 'leaked-cloud-credentials'?)"
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, attach: leaked-cloud-credentials}\n  - {at: 1s, step: {id: disable-keys}}\n' >"$T/bad4.yaml"
expect_rc "lint step" 1 wr drill lint "$T/bad4.yaml"
check_contains "no step" "$ERR" "bad4.yaml:6:20: no step 'disable-keys'"
printf 'id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, note: a, status: triage}\n' >"$T/bad5.yaml"
expect_rc "lint two actions" 1 wr drill lint "$T/bad5.yaml"
check_contains "one action" "$ERR" "one action per event"
expect_rc "run unknown" 2 wr drill run leaked-credential
check_contains "did you mean" "$ERR" "did you mean leaked-credentials?"
before=$(events)
expect_rc "run bad file" 2 wr drill run "$T/bad4.yaml"
check_eq "nothing written" "$(events)" "$before"
expect_rc "bad speed" 2 wr drill run leaked-credentials --speed 0

# Replay: a timeline written over 30 minutes, replayed at 1200x (1.5 s), in order and at its offsets.
WARROOM_CLOCK=2026-03-02T10:00:00Z wr declare "Replay me" --severity SEV2 >/dev/null
WARROOM_CLOCK=2026-03-02T10:10:00Z wr note INC-4 "ten minutes in" >/dev/null
WARROOM_CLOCK=2026-03-02T10:20:00Z wr severity INC-4 SEV1 >/dev/null
WARROOM_CLOCK=2026-03-02T10:30:00Z wr note INC-4 "thirty minutes in" >/dev/null
start=$(date +%s%N)
expect_rc "replay" 0 wr replay INC-4 --speed 1200
took=$((($(date +%s%N) - start) / 1000000))
check "replay took about 1.5 s (${took} ms)" test "$took" -ge 1400 -a "$took" -lt 6000
check_eq "replay lines" "$(echo "$OUT" | awk '{print $1}' | paste -sd' ')" "+00:00:00 +00:10:00 +00:20:00 +00:30:00"
check_contains "note text" "$OUT" "thirty minutes in"
check_contains "change described" "$OUT" "[incident.changed] severity SEV2 -> SEV1"
check_contains "header on stderr" "$ERR" "replaying INC-4: 4 entries over 30m at 1200x speed"
expect_rc "replay json" 0 wr --json replay INC-4 --speed 1000000
check_contains "json offsets" "$OUT" '{"format":1,"offset_ms":600000,"event":{"seq":'
# Ctrl-C: stops before the next entry, says so, exit status 130.
"$WR_BIN" --db "$DB" replay INC-4 --speed 1 >"$T/r.out" 2>"$T/r.err" &
pid=$!
# Interrupt once the first entry is out (Ctrl-C is caught before the first one is printed).
for _ in $(seq 1 200); do [ -s "$T/r.out" ] && break; sleep 0.05; done
check "the first entry was printed" [ -s "$T/r.out" ]
kill -INT "$pid"
wait "$pid"
rc=$?
check_eq "replay interrupted" "$rc" 130
check_eq "one entry printed" "$(wc -l <"$T/r.out")" 1
check_contains "stopped message" "$(cat "$T/r.err")" "replay stopped after 1 of 4 entries"
# The drill replays too.
expect_rc "replay drill" 0 wr replay INC-1 --speed 1000000
check_eq "drill replay entries" "$(echo "$OUT" | wc -l)" 27
finish
