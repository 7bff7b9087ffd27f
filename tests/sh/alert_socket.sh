#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `warroom alert --http` the way systemd's warroom-alert.socket (Accept=yes) runs it: systemd-socket-activate
# --inetd hands each accepted TCP connection to a new process as its stdin and stdout. The answer reaches the
# client, also a refusal sent while the client is still writing a flood or a body it should not send; and,
# as under xinetd, when stderr is the connection too, the log goes to syslog and never to the client.
. "$(dirname "$0")/lib.sh"
command -v systemd-socket-activate >/dev/null || skip "systemd-socket-activate is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
wr init >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
listen() { # listen PORT COMMAND...: accept on 127.0.0.1:PORT, one COMMAND per connection
  local port=$1; shift
  systemd-socket-activate --inetd -a -l "127.0.0.1:$port" "$@" 2>>"$T/activate.log" &
  LISTENER=$!
  for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0; sleep 0.05; done
  return 1
}
# send PORT FILE: the whole answer to the request in FILE. Like many HTTP clients (Go's among them), it writes
# the whole request before it reads the answer.
send() {
  python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
data = open(sys.argv[2], "rb").read()
out = b""
try:
    s.sendall(data)
except OSError as e:
    out += b"(client error while writing: %s)\n" % str(e).encode()
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
except OSError as e:
    out += b"\n(client error while reading: %s)" % str(e).encode()
sys.stdout.write(out.decode("utf-8", "replace"))
PY
}
status() { printf '%s' "$1" | tr -d '\r' | grep -E '^HTTP/1\.1 [0-9]{3} ' | tail -1 | cut -d' ' -f2; }
AM='{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"SocketTest","severity":"warning"},"startsAt":"2026-03-01T08:59:00Z"}]}'
post() { printf 'POST %s HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s' "$1" "${#2}" "$2"; }

port=$(free_port)
listen "$port" "$WR_BIN" --db "$DB" alert --http --timeout 5 || skip "systemd-socket-activate cannot listen here: $(tail -2 "$T/activate.log")"
post /alerts/sock "$AM" >"$T/r"
OUT=$(send "$port" "$T/r")
check_eq "answered on the connection" "$(status "$OUT")" 200
check_contains "landed" "$OUT" '"source":"sock","format":"alertmanager","received":1,"landed":1'
check_eq "stored" "$(sqlite3 "$DB" "SELECT source || ' ' || title FROM alerts")" "sock SocketTest"
check_contains "the log went to stderr, not the client" "$(cat "$T/activate.log")" "POST /alerts/sock: 200"
before=$(events)
{ printf 'POST /alerts HTTP/1.1\r\nHost: h\r\n'; for i in $(seq 1 30000); do printf 'X-Flood-%d: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n' "$i"; done; } >"$T/flood"
OUT=$(send "$port" "$T/flood")
check_eq "a refused flood's 431 reaches the client" "$(status "$OUT")" 431
check_not_contains "no reset under the answer" "$OUT" "client error"
printf 'POST /alerts HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\n' >"$T/r"
head -c 300000 /dev/zero >>"$T/r"
OUT=$(send "$port" "$T/r")
check_eq "1 GiB claim with a body on its way: 413 reaches the client" "$(status "$OUT")" 413
check_eq "nothing written by the refused ones" "$(events)" "$before"
kill "$LISTENER"; wait "$LISTENER" 2>/dev/null

# As under xinetd: stderr is the connection as well. The answer is all the client gets.
port=$(free_port)
listen "$port" /bin/sh -c 'exec "$0" "$@" 2>&1' "$WR_BIN" --db "$DB" alert --http --timeout 5 || skip "cannot listen"
post /alerts/xinetd "$AM" >"$T/r"
OUT=$(send "$port" "$T/r")
check_eq "xinetd-style: 200" "$(status "$OUT")" 200
check_not_contains "xinetd-style: no log text in the answer" "$OUT" "warroom alert --http:"
check_eq "xinetd-style: exactly one answer" "$(printf '%s' "$OUT" | grep -c '^HTTP/1.1 ')" 1
printf 'GET / HTTP/1.1\r\nHost: h\r\n\r\n' >"$T/r"
OUT=$(send "$port" "$T/r")
check_eq "xinetd-style: 405" "$(status "$OUT")" 405
check_not_contains "xinetd-style: refusal not logged to the client" "$OUT" "warroom alert --http:"
kill "$LISTENER"; wait "$LISTENER" 2>/dev/null
finish
