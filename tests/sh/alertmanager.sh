#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real thing: Debian's Prometheus Alertmanager on 127.0.0.1 (a free port, a private data directory, no
# cluster) with a webhook receiver pointing at `warroom alert --http` behind socat, with a bearer token
# (credentials_file on Alertmanager's side, alert_token_file on warroom's). Alerts are fired with amtool
# (firing, repeats, resolve, re-fire, 100 labels) and through Alertmanager's API (an annotation holding a
# NUL, a group of 5000 alerts: amtool sends one alert per run). What `warroom alerts --json` holds is
# polled for the exact state with a deadline: every alert present once, counts right, resolved ones
# resolved. Skipped (exit 77) where Alertmanager cannot run.
. "$(dirname "$0")/lib.sh"

AM_BIN=${ALERTMANAGER_BIN:-/usr/bin/prometheus-alertmanager}
AMTOOL=${AMTOOL_BIN:-/usr/bin/amtool}
[ -x "$AM_BIN" ] || skip "no Alertmanager at $AM_BIN (Debian: apt-get install prometheus-alertmanager)"
[ -x "$AMTOOL" ] || skip "no amtool at $AMTOOL"
command -v socat >/dev/null || skip "socat is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wr init >/dev/null

# warroom's side: the token, the receiver behind socat.
printf 'am-test-token-%s\n' "$RANDOM$RANDOM" >"$T/token"
chmod 600 "$T/token"
mkdir -p "$XDG_CONFIG_HOME/warroom"
printf 'alert_token_file: %s\n' "$T/token" >"$XDG_CONFIG_HOME/warroom/config.yaml"
WR_PORT=$(free_port)
socat "TCP-LISTEN:$WR_PORT,bind=127.0.0.1,reuseaddr,fork" \
  "EXEC:$WR_BIN --db $DB alert --http --timeout 30" 2>"$T/receiver.log" &
SOCAT_PID=$!

# Alertmanager's side: short group timings, re-notifications every 2 s for DiskFull only.
AM_PORT=$(free_port)
mkdir -p "$T/am-data"
cat >"$T/alertmanager.yml" <<YAML
route:
  receiver: warroom
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['alertname="DiskFull"']
      receiver: warroom
      group_wait: 1s
      group_interval: 1s
      repeat_interval: 2s
    # Alertmanager gives a notification until the group's next flush (group_interval, at least 10 s) and then
    # cuts it; 30 s leaves room for 5000 alerts on a loaded machine or a sanitizer build.
    - matchers: ['alertname="Flood"']
      receiver: warroom
      group_wait: 1s
      group_interval: 30s
      repeat_interval: 1h
receivers:
  - name: warroom
    webhook_configs:
      - url: http://127.0.0.1:$WR_PORT/alerts/am-test
        send_resolved: true
        max_alerts: 0
        http_config:
          authorization:
            type: Bearer
            credentials_file: $T/token
YAML
"$AM_BIN" --config.file="$T/alertmanager.yml" --storage.path="$T/am-data" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= --log.level=warn >"$T/am.log" 2>&1 &
AM_PID=$!
stop_all() {
  kill "$AM_PID" "$SOCAT_PID" 2>/dev/null
  wait "$AM_PID" "$SOCAT_PID" 2>/dev/null
}
AM_URL="http://127.0.0.1:$AM_PORT"
ready=0
for i in $(seq 1 200); do
  if ! kill -0 "$AM_PID" 2>/dev/null; then break; fi
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('$AM_URL/-/ready', timeout=1)" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  log=$(tail -5 "$T/am.log")
  stop_all
  skip "Alertmanager does not start here: $log"
fi
ok

amtool() { "$AMTOOL" --alertmanager.url="$AM_URL" "$@"; }
# api JSON: post alerts through Alertmanager's API (what Prometheus does).
api() {
  printf '%s' "$1" >"$T/api.json"
  python3 - "$AM_URL" "$T/api.json" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/api/v2/alerts", data=open(sys.argv[2], "rb").read(),
                             headers={"Content-Type": "application/json"}, method="POST")
urllib.request.urlopen(req, timeout=30).read()
PY
}
# q PYTHON_EXPR: evaluate over A, the alerts `warroom alerts --all --json` lists.
q() {
  "$WR_BIN" --db "$DB" --json alerts --all 2>/dev/null >"$T/alerts.json" || { echo "(alerts failed)"; return; }
  python3 - "$T/alerts.json" "$1" <<'PY'
import json, sys
A = json.load(open(sys.argv[1]))["alerts"]
print(eval(sys.argv[2]))
PY
}
# poll DESCRIPTION EXPR WANT [SECONDS]: wait for the exact state, with a deadline.
poll() {
  local end=$(( $(date +%s) + ${4:-60} )) got
  while :; do
    got=$(q "$2")
    [ "$got" = "$3" ] && { ok; return 0; }
    if [ "$(date +%s)" -ge "$end" ]; then
      fail "$1: got [$got], expected [$3] (receiver log: $(tail -3 "$T/receiver.log"))"
      return 1
    fi
    sleep 0.2
  done
}
# the events whose outcomes include this one, for alerts titled so
outcomes() { sqlite3 -cmd ".timeout 10000" "$DB" "SELECT count(*) FROM events, json_each(events.payload, '\$.outcomes') o WHERE events.kind = 'alert.received' AND json_extract(o.value, '\$.outcome') = '$1' AND json_extract(o.value, '\$.alert') = (SELECT id FROM alerts WHERE title = '$2')"; }
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
one() { echo "[a for a in A if a['title'] == '$1']"; }

# 1. Firing.
T0=$(iso '-2 min')
amtool alert add alertname=DiskFull instance=db-1 severity=critical --annotation=summary=DiskFull --start="$T0" >/dev/null
poll "firing lands" "[(a['status'], a['count'], a['source'], a['severity']) for a in $(one DiskFull)]" \
  "[('firing', 1, 'am-test', 'SEV1')]"
# 2. Repeats: amtool sends it again (as Prometheus does at every evaluation), and Alertmanager re-notifies
# every 2 s; each one is the same firing: nothing is counted.
amtool alert add alertname=DiskFull instance=db-1 severity=critical --annotation=summary=DiskFull --start="$T0" >/dev/null
end=$(( $(date +%s) + 60 ))
while [ "$(outcomes renotified DiskFull)" -lt 3 ] && [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done
check "re-notified at least 3 times" [ "$(outcomes renotified DiskFull)" -ge 3 ]
check_eq "re-notifications not counted" "$(q "[a['count'] for a in $(one DiskFull)]")" "[1]"
# 3. Resolved.
amtool alert add alertname=DiskFull instance=db-1 severity=critical --annotation=summary=DiskFull --start="$T0" \
  --end="$(iso '-1 sec')" >/dev/null
poll "resolve lands" "[(a['status'], a['count'], a['resolved_at'] is not None) for a in $(one DiskFull)]" \
  "[('resolved', 1, True)]"
# 4. Fired again: the same alert, count 2.
amtool alert add alertname=DiskFull instance=db-1 severity=critical --annotation=summary=DiskFull \
  --start="$(iso '-1 sec')" >/dev/null
poll "re-fire counted" "[(a['status'], a['count'], a['resolved_at']) for a in $(one DiskFull)]" "[('firing', 2, None)]"

# 5. 100 labels: the first 64 kept (alertname and severity among them), the rest counted in a note.
labels=(alertname=Wide severity=warning)
for i in $(seq -w 0 97); do labels+=("l$i=v$i"); done
amtool alert add "${labels[@]}" --annotation=summary=Wide >/dev/null
poll "100 labels" "[(len(a['labels']), a['labels'].get('severity'), a['notes']) for a in $(one Wide)]" \
  "[(64, 'warning', ['36 of 100 labels dropped: at most 64 are kept (alertname and severity, then the first by name)'])]"

# 6. An annotation holding a NUL (Alertmanager passes it on as \u0000): replaced, and the alert says so.
api '[{"labels":{"alertname":"NulNote","severity":"info"},"annotations":{"summary":"NulNote","description":"before\u0000after"}}]'
poll "NUL annotation" "[(a['description'] == 'before\\ufffdafter', a['notes']) for a in $(one NulNote)]" \
  "[(True, ['1 NUL character replaced with U+FFFD'])]"

# 7. A group of 5000 alerts in one notification (over 1 MiB): every one lands, once.
python3 - "$T/flood.json" <<'PY'
import json, sys
json.dump([{"labels": {"alertname": "Flood", "severity": "warning", "pod": "worker-%04d" % i, "namespace": "batch"},
            "annotations": {"summary": "Flood", "description": "pod worker-%04d is flooding the queue" % i}}
           for i in range(5000)], open(sys.argv[1], "w"))
PY
api "$(cat "$T/flood.json")"
poll "5000 alerts" "(len($(one Flood)), len({a['labels']['pod'] for a in $(one Flood)}), {a['count'] for a in $(one Flood)})" \
  "(5000, 5000, {1})" 120
check "one request over 1 MiB" grep -q "5000 alerts: 5000 landed" "$T/receiver.log"
# ... and resolved, all of them.
python3 - "$T/flood.json" "$(iso '-1 sec')" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for a in v:
    a["endsAt"] = sys.argv[2]
json.dump(v, open(sys.argv[1], "w"))
PY
api "$(cat "$T/flood.json")"
poll "5000 resolved" "(len($(one Flood)), {a['status'] for a in $(one Flood)})" "(5000, {'resolved'})" 120

# Every alert present once, under its source; nothing refused; the token was needed.
check_eq "every alert once" "$(q "len(A) == len({(a['source'], a['fingerprint']) for a in A})")" "True"
check_eq "all alerts" "$(q "sorted({a['title'] for a in A})")" "['DiskFull', 'Flood', 'NulNote', 'Wide']"
check_eq "total" "$(q "len(A)")" 5003
check_not_contains "nothing refused" "$(cat "$T/receiver.log")" "refused"
check_not_contains "no 401" "$(cat "$T/receiver.log")" " 401 "
check_eq "integrity" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
stop_all
if [ "$FAILED" != 0 ]; then
  echo "--- the receiver's log (last 40 lines):"; tail -40 "$T/receiver.log"
  echo "--- Alertmanager's log (last 20 lines):"; tail -20 "$T/am.log"
fi
finish
