#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `warroom alert --http` over TCP behind socat (one process per connection): the answer reaches the client, also
# when its header flood or a 1 GiB length claim is refused while it is still sending; nothing is written by the
# refused ones. Skipped (exit 77) without socat or python3.
. "$(dirname "$0")/lib.sh"
command -v socat >/dev/null || skip "socat is not installed (.ci/run installs it)"
command -v python3 >/dev/null || skip "python3 is not installed"
export WARROOM_CLOCK=2026-03-01T09:00:00Z+ LC_ALL=C
wr init >/dev/null

# status OUTPUT: the status code of the final answer (after a possible "100 Continue").
status() { printf '%s' "$1" | tr -d '\r' | grep -E '^HTTP/1\.1 [0-9]{3} ' | grep -v ' 100 ' | tail -1 | cut -d' ' -f2; }
# body OUTPUT: what follows the head of the final answer.
body() { printf '%s' "$1" | tr -d '\r' | awk 'started {print} /^$/ && seen {started=1} /^HTTP\/1\.1 [0-9]+ / && !/ 100 / {seen=1}'; }
# post PATH BODY: a complete request with Content-Length.
post() {
  printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1:9097\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "$1" "${#2}" "$2"
}
AM='{"receiver":"warroom","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull","instance":"db-1","severity":"critical"},"annotations":{"summary":"Disk full on db-1"},"startsAt":"2026-03-01T08:59:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"1111aaaa2222bbbb"}],"groupLabels":{},"commonLabels":{},"externalURL":"http://am","version":"4","groupKey":"{}:{}","truncatedAlerts":0}'

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:$WR_BIN --db $DB alert --http --timeout 5" 2>"$T/socat.err" &
socat_pid=$!
# Wait for the listener (poll with a deadline).
listening=0
for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { listening=1; break; }; sleep 0.05; done
check_eq "socat listens" "$listening" 1
tcp() { # tcp REQUEST_FILE: send it, print the whole answer
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  cat "$1" >&3 2>/dev/null &
  local w=$!
  timeout 15 cat <&3
  wait "$w" 2>/dev/null
  exec 3<&-
}
post /alerts/tcp "$AM" >"$T/r"
OUT=$(tcp "$T/r")
check_eq "tcp: 200" "$(status "$OUT")" 200
check_contains "tcp: landed" "$(body "$OUT")" '"source":"tcp","format":"alertmanager","received":1,"landed":1'
before=$(events)
{ printf 'POST /alerts HTTP/1.1\r\nHost: h\r\n'; for i in $(seq 1 20000); do printf 'X-Flood-%d: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n' "$i"; done; } >"$T/flood"
OUT=$(tcp "$T/flood")
check_eq "tcp flood: 431 reaches the client" "$(status "$OUT")" 431
printf 'POST /alerts HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\n' >"$T/r"
OUT=$(tcp "$T/r")
check_eq "tcp 1 GiB claim: 413" "$(status "$OUT")" 413
check_eq "tcp: nothing written by the refused ones" "$(events)" "$before"
kill "$socat_pid"
wait "$socat_pid" 2>/dev/null
finish
