#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `warroom alert` / `warroom alerts`: rejected lines by number (the rest stored), the Alertmanager webhook
# payload pretty-printed and on one line, folding and resolution, noise rules, triage, and two intakes of
# the same fingerprint at once (the count stays exact).
. "$(dirname "$0")/lib.sh"
export WARROOM_CLOCK=2026-03-01T09:00:00Z+
DATA="$WR_SRC/tests/data/alerts"
wr init >/dev/null

# A stream with bad lines: each is reported with its number, the others are stored, exit status 1.
cat >"$T/stream" <<'JSON'
{"source":"grafana","title":"API 5xx above 2%","severity":"critical","labels":{"service":"api","env":"prod"}}
{"source":"grafana","title":"API 5xx above 2%","severity":"critical","labels":{"env":"prod","service":"api"}}
{"source":"grafana", "title": "truncated
[1, 2, 3]

{"name":"neither"}
{"source":"grafana","title":"x","severty":"low"}
{"source":"grafana","title":"Disk 91% full","severity":"warning","labels":{"host":"db-1"}}
JSON
expect_rc "stream with bad lines" 1 wr alert <"$T/stream"
check_contains "line 3" "$ERR" "stdin:3: not valid JSON"
check_contains "line 4" "$ERR" "stdin:4: expected a JSON object with 'alerts' or 'title'"
check_contains "line 6" "$ERR" "stdin:6: expected a JSON object with 'alerts' or 'title'"
check_contains "line 7" "$ERR" "stdin:7: unknown key 'severty' (did you mean 'severity'?)"
check_not_contains "blank line 5 skipped" "$ERR" "stdin:5:"
check_contains "summary" "$OUT" "alerts: 3 received: 2 new, 1 folded, 0 fired again, 0 resolved, 0 repeated; 4 lines rejected"
check_eq "stored alerts" "$(sqlite3 "$DB" "SELECT count(*) FROM alerts")" 2
check_eq "folded count" "$(sqlite3 "$DB" "SELECT count FROM alerts WHERE title LIKE 'API%'")" 2
check_eq "one event per accepted line" "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind='alert.received'")" 3

# Alertmanager: the pretty-printed payload as it is, then the same on one line (a re-notification of the same
# firings: nothing counted), then resolved.
expect_rc "alertmanager pretty" 0 wr alert <"$DATA/alertmanager-firing.json"
check_contains "three new" "$OUT" "3 received: 3 new"
expect_rc "alertmanager line" 0 wr alert <"$DATA/alertmanager-firing.jsonl"
check_contains "three re-notified" "$OUT" "3 received: 0 new, 0 folded, 0 fired again, 0 resolved, 3 repeated"
WARROOM_CLOCK=2026-03-01T09:30:00Z+ expect_rc "alertmanager resolved" 0 wr alert <"$DATA/alertmanager-resolved.jsonl"
check_contains "resolved" "$OUT" "1 resolved"
check_eq "crashloop resolved" "$(sqlite3 "$DB" "SELECT status || ' ' || count FROM alerts WHERE fingerprint='3a6d5e3c5b6a1f42'")" "resolved 1"
WARROOM_CLOCK=2026-03-01T09:31:00Z+ expect_rc "resolved again" 0 wr alert <"$DATA/alertmanager-resolved.jsonl"
check_contains "repeat of a resolution" "$OUT" "1 repeated"
# A pretty document that never ends: rejected at its first line.
printf '{\n  "title": "x",\n' >"$T/unterminated"
expect_rc "unterminated" 1 wr alert <"$T/unterminated"
check_contains "unterminated" "$ERR" "stdin:1: unterminated document"

# `alerts`: newest first, awaiting triage.
expect_rc "alerts" 0 wr alerts
check_eq "first row is the newest" "$(echo "$OUT" | sed -n 2p | awk '{print $2}')" "3a6d5e3c5b6a1f42"
check_contains "root login listed" "$OUT" "b41c07e0c2d9f8a1 SEV1 firing       1"
expect_rc "alerts json" 0 wr --json alerts
check_contains "json labels" "$OUT" '"labels":{"account_id":"123456789012","alertname":"AWSRootAccountLogin"'

# Triage: declare from an alert (linked, details in the timeline), refused twice; attach; dismiss.
expect_rc "declare from alert" 0 wr --as alice alert declare b41c --type security
check_contains "declared" "$OUT" "INC-1 declared (SEV1) from alert b41c07e0c2d9f8a1"
check_eq "incident title" "$(sqlite3 "$DB" "SELECT title FROM incidents WHERE id=1")" "Root account console login from an unknown address"
check_contains "alert in the timeline" "$(wr export INC-1)" '"source_ip":"203.0.113.77"'
expect_rc "declare again" 4 wr --as bob alert declare b41c07e0c2d9f8a1
check_contains "who did it first" "$ERR" "already declared as INC-1 by alice"
check_eq "still one incident" "$(sqlite3 "$DB" "SELECT count(*) FROM incidents")" 1
wr declare "Payments degraded" >/dev/null
expect_rc "attach" 0 wr alert attach 3a6d INC-2
check_contains "attached" "$OUT" "INC-2: alert 3a6d5e3c5b6a1f42 attached"
expect_rc "attach elsewhere" 4 wr alert attach 3a6d INC-1
expect_rc "dismiss without reason" 2 wr alert dismiss e5f1
expect_rc "dismiss" 0 wr alert dismiss e5f1 --reason "Watchdog: always firing by design"
expect_rc "dismiss linked" 4 wr alert dismiss b41c --reason "noise"
expect_rc "unknown alert" 3 wr alert attach ffff INC-2
expect_rc "bad incident" 2 wr alert attach 3a6d nope
expect_rc "alerts of INC-2" 0 wr alerts --incident INC-2
check_contains "linked" "$OUT" "INC-2"
expect_rc "triage queue" 0 wr alerts
check_not_contains "dismissed left the queue" "$OUT" "e5f1d9a0c3b2a817"
check_not_contains "declared left the queue" "$OUT" "b41c07e0c2d9f8a1"

# Noise rules: Watchdog dropped (counted, not stored), CI disks lowered; first match wins.
mkdir -p "$XDG_CONFIG_HOME/warroom"
cat >"$XDG_CONFIG_HOME/warroom/alert-rules.yaml" <<'YAML'
rules:
  - name: watchdog
    match: {alertname: Watchdog}
    action: drop
  - name: ci-disks
    match: {alertname: DiskSpaceLow}
    match_re: {instance: "ci-.*"}
    action: lower
    severity: SEV5
  - name: all-disks
    match: {alertname: DiskSpaceLow}
    action: drop
YAML
before=$(sqlite3 "$DB" "SELECT count(*) FROM events")
expect_rc "with rules" 0 wr alert --source am-eu <"$DATA/alertmanager-firing.json"
check_contains "dropped counted" "$OUT" "1 dropped (watchdog 1)"
check_eq "two alerts stored in one event" "$(sqlite3 "$DB" "SELECT count(*) FROM events")" $((before + 1))
printf '%s\n' '{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"DiskSpaceLow","instance":"ci-runner-3","severity":"critical"}}]}' \
  '{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"DiskSpaceLow","instance":"db-1","severity":"critical"}}]}' >"$T/disks"
expect_rc "lower and drop" 0 wr alert <"$T/disks"
check_contains "dropped by all-disks" "$OUT" "1 dropped (all-disks 1)"
check_eq "lowered" "$(sqlite3 "$DB" "SELECT severity || ' ' || severity_raw || ' ' || rule FROM alerts WHERE labels LIKE '%ci-runner-3%'")" "SEV5 critical ci-disks"
check_eq "db-1 not stored" "$(sqlite3 "$DB" "SELECT count(*) FROM alerts WHERE labels LIKE '%db-1%' AND labels LIKE '%DiskSpaceLow%'")" 0
expect_rc "alerts shows drops" 0 wr alerts
check_contains "drop footer" "$OUT" "dropped by noise rules: all-disks 1, watchdog 1"
expect_rc "alert rules" 0 wr alert rules
check_contains "rules listed" "$OUT" "ci-disks                     lower to SEV5 when alertname=DiskSpaceLow, instance~ci-.*"
check_contains "drop counts" "$OUT" "watchdog                            1"
expect_rc "--no-rules" 0 wr alert --no-rules <"$DATA/alertmanager-firing.jsonl"
check_not_contains "nothing dropped" "$OUT" "dropped"
printf 'rules:\n  - name: x\n    match_re: {a: "("}\n    action: drop\n' >"$XDG_CONFIG_HOME/warroom/alert-rules.yaml"
before=$(events)
expect_rc "bad rules" 2 wr alert <"$DATA/alertmanager-firing.jsonl"
check_contains "rule error position" "$ERR" "alert-rules.yaml:3:19: invalid regular expression"
check_eq "nothing read" "$(events)" "$before"
rm "$XDG_CONFIG_HOME/warroom/alert-rules.yaml"

# Two intakes of the same fingerprint at the same moment: every repeat is counted exactly once.
for i in $(seq 1 150); do
  echo '{"source":"probe","title":"Login failures spike","severity":"high","labels":{"service":"sso"}}'
done >"$T/burst"
for i in 1 2; do
  ( while [ ! -e "$T/go" ]; do sleep 0.01; done
    exec "$WR_BIN" --db "$DB" alert <"$T/burst" >"$T/burst$i.out" 2>"$T/burst$i.err" ) &
done
touch "$T/go"
wait
check_eq "one alert" "$(sqlite3 "$DB" "SELECT count(*) FROM alerts WHERE source='probe'")" 1
check_eq "exact count" "$(sqlite3 "$DB" "SELECT count FROM alerts WHERE source='probe'")" 300
check_eq "no errors" "$(cat "$T"/burst*.err)" ""
check_eq "new + folded" "$(cat "$T"/burst*.out | grep -o '[0-9]* new, [0-9]* folded' | awk '{n+=$1; f+=$3} END {print n, f}')" "1 299"
check_eq "integrity" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
# The state is what the log says.
snap=$(sqlite3 "$DB" "SELECT id, fingerprint, status, count, triage, incident FROM alerts ORDER BY id")
expect_rc "rebuild" 0 "$WR_BINDIR/wr_rebuild" "$DB"
check_eq "rebuilt alerts" "$(sqlite3 "$DB" "SELECT id, fingerprint, status, count, triage, incident FROM alerts ORDER BY id")" "$snap"
finish
