#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `warroom alert --http`: one request on stdin, the answer on stdout. Malformed requests (no length, a lying
# length, a slow client, a 1 GiB body claim, a header flood, ...) each get the right status within the read
# timeout and write nothing; the bearer token from alert_token_file; the source from the URL path; chunked
# bodies and "Expect: 100-continue"; one bad alert refused alone; a duplicate delivery changes nothing. (Over
# TCP behind socat: alert_http_tcp.sh.)
. "$(dirname "$0")/lib.sh"
export WARROOM_CLOCK=2026-03-01T09:00:00Z+ LC_ALL=C
wr init >/dev/null

ms() { date +%s%3N; }
# status OUTPUT: the status code of the final answer (after a possible "100 Continue").
status() { printf '%s' "$1" | tr -d '\r' | grep -E '^HTTP/1\.1 [0-9]{3} ' | grep -v ' 100 ' | tail -1 | cut -d' ' -f2; }
# body OUTPUT: what follows the head of the final answer.
body() { printf '%s' "$1" | tr -d '\r' | awk 'started {print} /^$/ && seen {started=1} /^HTTP\/1\.1 [0-9]+ / && !/ 100 / {seen=1}'; }
# post PATH BODY [HEADERS]: a complete request with Content-Length.
post() {
  printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1:9097\r\nContent-Type: application/json\r\n%bContent-Length: %d\r\n\r\n%s' \
    "$1" "${3:-}" "${#2}" "$2"
}
# refused NAME WANT_STATUS REQUEST_FILE: the answer has that status, nothing was written.
refused() {
  local before; before=$(events)
  "$WR_BIN" --db "$DB" alert --http --timeout 2 <"$3" >"$T/out" 2>"$T/err"
  OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
  check_eq "$1: status" "$(status "$OUT")" "$2"
  check_eq "$1: nothing written" "$(events)" "$before"
  check_contains "$1: JSON reason" "$(body "$OUT")" '"ok":false'
}

AM='{"receiver":"warroom","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull","instance":"db-1","severity":"critical"},"annotations":{"summary":"Disk full on db-1"},"startsAt":"2026-03-01T08:59:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"1111aaaa2222bbbb"}],"groupLabels":{},"commonLabels":{},"externalURL":"http://am","version":"4","groupKey":"{}:{}","truncatedAlerts":0}'

# ---- refused whole, nothing written ----
printf 'POST /alerts HTTP/1.1\r\nHost: h\r\n\r\n%s' "$AM" >"$T/r"; refused "no length" 411 "$T/r"
post /alerts "$AM" | head -c 200 >"$T/r"; refused "lying length, then closed" 400 "$T/r"
check_contains "says why" "$OUT" "before the whole body"
printf 'POST /alerts HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n%s' "$AM" >"$T/r"; refused "short length" 400 "$T/r"
check_contains "short length: not JSON" "$OUT" "not valid JSON"
printf 'POST /alerts HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\n' >"$T/r"; refused "1 GiB claim" 413 "$T/r"
check_contains "names the size" "$OUT" "1073741824"
{ printf 'POST /alerts HTTP/1.1\r\nHost: h\r\n'; for i in $(seq 1 3000); do printf 'X-Flood-%d: aaaaaaaaaaaaaaaa\r\n' "$i"; done; } >"$T/r"
refused "header flood" 431 "$T/r"
post /alerts '{"alerts":[' >"$T/r"; refused "truncated JSON" 400 "$T/r"
post /alerts '{"alerts":{}}' >"$T/r"; refused "alerts not a list" 400 "$T/r"
post /alerts '[1,2]' >"$T/r"; refused "not an object" 400 "$T/r"
printf 'GET /alerts HTTP/1.1\r\nHost: h\r\n\r\n' >"$T/r"; refused "GET" 405 "$T/r"
check_contains "Allow header" "$OUT" "Allow: POST"
post /metrics "$AM" >"$T/r"; refused "unknown path" 404 "$T/r"
post "/alerts/bad%20name" "$AM" >"$T/r"; refused "bad source name" 404 "$T/r"
printf 'POST /alerts HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}' >"$T/r"; refused "no Host" 400 "$T/r"
printf 'POST /alerts HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n' >"$T/r"; refused "gzip coding" 501 "$T/r"
printf 'POST /alerts HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n' >"$T/r"
refused "smuggling shape" 400 "$T/r"
printf 'POST /alerts HTTP/2.0\r\nHost: h\r\n\r\n' >"$T/r"; refused "HTTP/2 on a 1.1 socket" 505 "$T/r"

# A connection that sends nothing and closes: nothing to answer, nothing written.
before=$(events)
expect_rc "empty connection" 1 "$WR_BIN" --db "$DB" alert --http --timeout 2 </dev/null
check_eq "empty: no answer" "$OUT" ""
check_eq "empty: nothing written" "$(events)" "$before"

# Held open: the answer comes at the read timeout, whatever the client does meanwhile. When the answer comes is
# the behaviour under test here (a deadline, not a speed): the bounds are the timeout's own, with wide margins.
# Each case has its own FIFO: a byte the previous case's slow client wrote while the previous reader was still
# exiting (slow under the sanitizers) would otherwise stay in the pipe and start the next request ("aPOST": 405).
HELD_N=0
held() { # held NAME WANT PARTIAL_REQUEST(with \r\n escapes) TRICKLE(0/1)
  local before t0 t1 pid trickler="" fifo
  before=$(events)
  HELD_N=$((HELD_N + 1)); fifo="$T/in.$HELD_N"; mkfifo "$fifo"
  "$WR_BIN" --db "$DB" alert --http --timeout 2 <"$fifo" >"$T/out" 2>"$T/err" &
  pid=$!
  exec 3>"$fifo"
  t0=$(ms)
  printf '%b' "$3" >&3
  if [ "$4" = 1 ]; then
    # A slow client: one more byte every 0.2 s (pacing, not synchronisation), for longer than the timeout.
    ( for i in $(seq 1 100); do printf 'a' || exit 0; sleep 0.2; done ) >&3 2>/dev/null &
    trickler=$!
  fi
  wait "$pid"
  t1=$(ms)
  [ -n "$trickler" ] && kill "$trickler" 2>/dev/null
  exec 3>&-
  [ -n "$trickler" ] && wait "$trickler" 2>/dev/null
  OUT=$(cat "$T/out")
  check_eq "$1: status" "$(status "$OUT")" "$2"
  check_eq "$1: nothing written" "$(events)" "$before"
  if [ $((t1 - t0)) -lt 6000 ]; then ok; else fail "$1: answered after $((t1 - t0)) ms (timeout 2 s)"; fi
  LAST_MS=$((t1 - t0))
}
held "silent client" 408 "" 0
held "slow head" 408 'POST /alerts HTTP/1.1\r\nHost: h\r\nX-Slow: ' 1
check "slow head waited for the timeout" [ "$LAST_MS" -ge 1900 ]
held "lying length, held open" 408 'POST /alerts HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n{"alerts":[' 0
held "slow body" 408 'POST /alerts HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n{"alerts":[' 1
held "1 GiB claim, held open" 413 'POST /alerts HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\n' 0
check "413 without waiting for the body" [ "$LAST_MS" -lt 1900 ]

# ---- taken ----
post /alerts/am-eu "$AM" >"$T/r"
expect_rc "one alert" 0 "$WR_BIN" --db "$DB" alert --http <"$T/r"
check_eq "200" "$(status "$OUT")" 200
check_contains "JSON summary" "$(body "$OUT")" '"ok":true,"source":"am-eu","format":"alertmanager","received":1,"landed":1'
check_contains "logged" "$ERR" "POST /alerts/am-eu: 200: source am-eu, 1 alerts: 1 landed (1 new"
check_eq "stored under its source" "$(sqlite3 "$DB" "SELECT source || ' ' || fingerprint || ' ' || count FROM alerts")" "am-eu 1111aaaa2222bbbb 1"
# The same delivery again: a re-notification, nothing counted; another source is another alert.
expect_rc "again" 0 "$WR_BIN" --db "$DB" alert --http <"$T/r"
check_contains "renotified" "$(body "$OUT")" '"new":0,"folded":0,"refired":0,"renotified":1'
check_eq "count unchanged" "$(sqlite3 "$DB" "SELECT count(*) || ' ' || sum(count) FROM alerts")" "1 1"
post /alerts/am-us "$AM" >"$T/r"
expect_rc "other source" 0 "$WR_BIN" --db "$DB" alert --http <"$T/r"
check_eq "two alerts, one per source" "$(sqlite3 "$DB" "SELECT group_concat(source) FROM (SELECT source FROM alerts ORDER BY source)")" "am-eu,am-us"
# /alerts takes --source, else "alertmanager".
post /alerts "$AM" >"$T/r"
expect_rc "default source" 0 "$WR_BIN" --db "$DB" alert --http <"$T/r"
check_contains "alertmanager" "$(body "$OUT")" '"source":"alertmanager"'
expect_rc "--source" 0 "$WR_BIN" --db "$DB" alert --http --source am-ci <"$T/r"
check_contains "am-ci" "$(body "$OUT")" '"source":"am-ci"'

# Chunked, with "Expect: 100-continue" (curl sends it for larger bodies).
half=$(( ${#AM} / 2 ))
{ printf 'POST /alerts/chunky HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n'
  printf '%x\r\n%s\r\n' "$half" "${AM:0:$half}"; printf '%x;ext=1\r\n%s\r\n' $(( ${#AM} - half )) "${AM:$half}"
  printf '0\r\n\r\n'; } >"$T/r"
expect_rc "chunked" 0 "$WR_BIN" --db "$DB" alert --http <"$T/r"
check_contains "100 Continue first" "$(printf '%s' "$OUT" | head -1)" "HTTP/1.1 100 Continue"
check_eq "then 200" "$(status "$OUT")" 200
check_contains "landed" "$(body "$OUT")" '"source":"chunky","format":"alertmanager","received":1,"landed":1'

# One bad alert among good ones: refused alone, by index and reason; the others land.
MIXED='{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"Good1"}},{"status":"firing","labels":{"alertname":"Bad","n":7}},{"status":"firing","labels":{"alertname":"Good2"},"annotations":{"summary":"nul\u0000in here"}}]}'
post /alerts/mixed "$MIXED" >"$T/r"
expect_rc "mixed" 0 "$WR_BIN" --db "$DB" alert --http <"$T/r"
check_eq "mixed: 200" "$(status "$OUT")" 200
check_contains "mixed: counts" "$(body "$OUT")" '"received":3,"landed":2,"not_landed":0,"rejected":1'
check_contains "mixed: index and reason" "$(body "$OUT")" '"rejects":[{"index":1,"reason":"alerts[1]: label '"'n'"' must be a string, not integer"}]'
check_contains "mixed: NUL noted" "$(body "$OUT")" '"notes":[{"index":2,"notes":["1 NUL character replaced with U+FFFD"]}]'
check_contains "mixed: logged" "$ERR" "refused alerts[1]: label 'n' must be a string"
check_eq "mixed: the good ones" "$(sqlite3 "$DB" "SELECT group_concat(title, '|') FROM (SELECT title FROM alerts WHERE source = 'mixed' ORDER BY title)")" "Good1|nul$(printf '\xef\xbf\xbd')in here"

# ---- the bearer token (alert_token_file in the config) ----
mkdir -p "$XDG_CONFIG_HOME/warroom"
printf 's3cr3t-token\n' >"$T/token"; chmod 600 "$T/token"
printf 'alert_token_file: %s\n' "$T/token" >"$XDG_CONFIG_HOME/warroom/config.yaml"
post /alerts/tok "$AM" >"$T/r"; refused "no token" 401 "$T/r"
check_contains "challenge" "$OUT" 'WWW-Authenticate: Bearer realm="warroom"'
post /alerts/tok "$AM" "Authorization: Bearer s3cr3t-wrong\r\n" >"$T/r"; refused "wrong token" 401 "$T/r"
post /alerts/tok "$AM" "Authorization: Bearer s3cr3t-token\r\n" >"$T/r"
expect_rc "right token" 0 "$WR_BIN" --db "$DB" alert --http <"$T/r"
check_eq "right token: 200" "$(status "$OUT")" 200
printf 'alert_token_file: %s\n' "$T/missing-token" >"$XDG_CONFIG_HOME/warroom/config.yaml"
post /alerts/tok "$AM" "Authorization: Bearer s3cr3t-token\r\n" >"$T/r"; refused "token file missing" 500 "$T/r"
check_contains "misconfiguration logged" "$ERR" "cannot read the token file"
printf 'alert_token_file: relative/token\n' >"$XDG_CONFIG_HOME/warroom/config.yaml"
expect_rc "relative token path refused" 2 "$WR_BIN" --db "$DB" alert --http <"$T/r"
check_contains "config error" "$ERR" "expected an absolute path for 'alert_token_file'"
rm "$XDG_CONFIG_HOME/warroom/config.yaml"
finish
