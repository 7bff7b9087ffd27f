#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Live across hosts on PostgreSQL: two "hosts" (each console its own cache directory), in real terminals: a note
# written on the other host reaches both screens through NOTIFY (no polling: the console's idle look is 30 s,
# so a screen that shows it within seconds was woken); both consoles are in the room on both hosts; the server
# stopped immediately shows "disconnected from the database: reconnecting" while the screen stays readable, a
# note typed meanwhile is kept and lands once when the server is back; `tail -f` on the other host misses
# nothing across the outage. At 80x24 and 120x35.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"
[ "${WARROOM_TEST_HAVE_POSTGRES:-1}" = 1 ] || skip "warroom was built without PostgreSQL (-DWARROOM_POSTGRES=OFF)"
if ! on_pg; then
  . "$(dirname "$0")/pg_lib.sh"
  pg_start
  WR_BACKEND=postgres DB=$PGURL
fi
trap tui_cleanup EXIT
h1() { WARROOM_CACHE_DIR="$T/host1" "$WR_BIN" --db "$PGURL" "$@"; }
h2() { WARROOM_CACHE_DIR="$T/host2" "$WR_BIN" --db "$PGURL_TCP" "$@"; }

expect_rc "init" 0 h1 init
expect_rc "declare" 0 h1 declare "Checkout latency" --severity SEV2
# A merge: host 2's copy replays it (its apply adds an event of its own, already in the log), then appends.
expect_rc "declare a duplicate" 0 h1 declare "Checkout slow" --severity SEV3
expect_rc "merge it" 0 h1 status INC-2 merged --into INC-1 --reason duplicate
expect_rc "host 2 appends after replaying the merge" 0 h2 note INC-1 "after-the-merge"
# Two consoles, one per host: ana at 120x35 through the socket, ben at 80x24 over TCP.
# A beat a second (a third of the presence timeout), so that a short window holds several.
tui_start a 120 35 "WARROOM_PRESENCE_TIMEOUT_MS=3000 WARROOM_CACHE_DIR='$T/host1' exec '$WR_BIN' --db '$PGURL' --as ana"
tui_start b 80 24 "WARROOM_PRESENCE_TIMEOUT_MS=3000 WARROOM_CACHE_DIR='$T/host2' exec '$WR_BIN' --db '$PGURL_TCP' --as ben"
expect_screen "a opens INC-1" a "Checkout latency"
expect_screen "b opens INC-1" b "Checkout latency"
expect_screen "a: both consoles in the room, across hosts" a "In the room (2)" 20
check_contains "who on host 2 lists both" "$(h2 who)" "ana"
check_contains "who on host 2 lists both (ben)" "$(h2 who)" "ben"

# Idle consoles send nothing but their presence beat: every statement the server runs in a quiet window of
# 4 s (the window is the measurement, not a synchronisation) is a beat, and there are some.
pg_psql -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
pg_psql -c "SELECT 'idle-window-start'" >/dev/null
sleep 4
pg_psql -c "SELECT 'idle-window-end'" >/dev/null
window=$(sed -n '/idle-window-start/,/idle-window-end/p' "$PG_DIR/log" | grep -E 'LOG: +(statement|execute)' |
         grep -v "idle-window" || true)
beats=$(printf '%s\n' "$window" | grep -c "INSERT INTO warroom.presence" || true)
others=$(printf '%s\n' "$window" | grep -v "INSERT INTO warroom.presence" | grep -c . || true)
check "idle consoles beat ($beats statements in 4 s)" [ "$beats" -ge 4 ]
check_eq "and send nothing else" "$others" 0
[ "$others" = 0 ] || printf '%s\n' "$window" | grep -v "INSERT INTO warroom.presence" | head -5 >&2
[ "$beats" -ge 4 ] || tail -5 "$PG_DIR/log" >&2
pg_psql -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null

# tail -f on host 2 for the whole test.
# (The binary itself in the background, not through h2: killing a function's subshell would leave it running.)
WARROOM_CACHE_DIR="$T/host2" "$WR_BIN" --db "$PGURL_TCP" tail -f INC-1 >"$T/follow.out" 2>"$T/follow.err" &
FOLLOW=$!
for ((i = 0; i < 100; i++)); do grep -q "declared" "$T/follow.out" 2>/dev/null && break; sleep 0.05; done

# A note from host 2's command line reaches both screens by notification.
expect_rc "note from host 2" 0 h2 note INC-1 "pushed-from-host-2" --as cli
expect_screen "a shows host 2's note" a "pushed-from-host-2" 5
expect_screen "b shows it" b "pushed-from-host-2" 5

# The server goes (immediate shutdown: clients cut off).
pg_kill_immediate
if pg_running; then fail "the server is still running"; else ok; fi
expect_screen "a: the banner" a "disconnected from the database: reconnecting" 15
expect_screen "b: the banner (80 columns)" b "disconnected from the database" 15
check_contains "a still shows the room (this host's copy)" "$(screen a)" "pushed-from-host-2"
keys_literal a ":note typed-while-the-server-was-down"
keys a Enter
expect_screen "a keeps it" a "1 pending" 10
expect_rc "a command meanwhile: exit 8, nothing written" 8 h2 --wait 1 note INC-1 "never-written"
check_contains "it says nothing was written" "$ERR" "was not written; retrying it is safe"

pg_restart
check "the server is back" pg_running
expect_screen "a reconnects and sends what it kept" a "kept meanwhile is written" 20
expect_screen "b shows a's kept note" b "typed-while-the-server-was-down" 20
expect_no_screen "a: the banner is gone" a "disconnected from the database"
check_eq "the kept note is in the log once" \
  "$(dbq "SELECT count(*) FROM events WHERE $(jf text) = 'typed-while-the-server-was-down'")" 1
check_eq "the refused note is not" "$(dbq "SELECT count(*) FROM events WHERE $(jf text) = 'never-written'")" 0

# After the outage: a note from host 1 still reaches b live.
expect_rc "note from host 1" 0 h1 note INC-1 "after-the-outage" --as cli
expect_screen "b shows it live" b "after-the-outage" 10
for ((i = 0; i < 200; i++)); do grep -q "after-the-outage" "$T/follow.out" 2>/dev/null && break; sleep 0.05; done
kill "$FOLLOW" 2>/dev/null
wait "$FOLLOW" 2>/dev/null
for w in pushed-from-host-2 typed-while-the-server-was-down after-the-outage; do
  check_eq "tail -f printed $w once" "$(grep -c -- "$w" "$T/follow.out")" 1
done
check_contains "tail -f said it reconnected" "$(cat "$T/follow.err")" "reconnected to the database"
check_eq "both hosts' copies agree" "$(h1 tail INC-1 -n 100)" "$(h2 tail INC-1 -n 100)"

# A console quits: it leaves the room on the server at once.
keys b q
wait_present 1 10
check_eq "one console left in the room" "$(present)" 1
finish
