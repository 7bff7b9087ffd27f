#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 17's proof on a real PostgreSQL server: two "hosts" (separate processes, each with its own cache
# directory; one reaches the server over its Unix socket with a key=value string, the other over loopback TCP
# with a postgresql:// URL) and 16 writer processes spread over both (tests/tools/wr_writer: the store's append,
# one connection each): 16 x 250 notes, all 4000 in the log once each, each writer's in its order, and the same
# state on both hosts. Then again with `warroom note` commands (16 loops of them) and the server stopped
# `-m immediate` in the middle of the writers and started again: every note whose command
# exited 0 is in the log exactly once, no note twice; the notes that failed exited 8 (or 5) and said so; a
# `tail -f` on host 2 across the crash misses nothing. Then a role with only the rights docs/store.md lists.
# PG_NOTES=N and PG_CRASH_NOTES=N change the notes per writer (defaults 250, the issue's figure, and 40: each
# `warroom note` is a process and a server backend of its own, about 130 ms of CPU between them).
. "$(dirname "$0")/lib.sh"
[ "${WARROOM_TEST_HAVE_POSTGRES:-1}" = 1 ] || skip "warroom was built without PostgreSQL (-DWARROOM_POSTGRES=OFF)"
if ! on_pg; then  # ctest's sh.pg_server: this test's own server; the helpers (dbq, db_integrity) read it
  . "$(dirname "$0")/pg_lib.sh"
  pg_start
  WR_BACKEND=postgres DB=$PGURL
fi
WRITERS=16
NOTES=${PG_NOTES:-250}
CRASH_NOTES=${PG_CRASH_NOTES:-40}
ms() { date +%s%3N; }
# cpu: "clients N ms, server N ms": the CPU time of this test's ended children (the warroom processes) and of
# the server, so far (wall time on a busy machine says little; CPU / 2 cores is the time on an idle one).
cpu() {
  echo "clients $(awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print int(($14 + $15) * 1000 / hz) }' "/proc/$$/stat") ms, server $(pg_cpu_ms) ms"
}

# The two hosts: host 1 by --db and the socket, host 2 by $WARROOM_DB and TCP.
h1() { WARROOM_CACHE_DIR="$T/host1" "$WR_BIN" --db "$PGURL" "$@"; }
h2() { WARROOM_CACHE_DIR="$T/host2" WARROOM_DB="$PGURL_TCP" "$WR_BIN" "$@"; }
host() { local h=$1; shift; if [ "$h" = 1 ]; then h1 "$@"; else h2 "$@"; fi; }
pgq() { pg_psql -c "$1"; }

expect_rc "host 1 creates the schema" 0 h1 init
expect_rc "host 2 sees it: init again refused" 4 h2 init
expect_rc "host 2 declares" 0 h2 declare "Two hosts, one war room" --severity SEV2
check_eq "the declaration" "$OUT" "INC-1 declared (SEV2)"
expect_rc "host 1 sees it" 0 h1 show INC-1
check_contains "host 1 shows INC-1" "$OUT" "Two hosts, one war room"

# writers PREFIX INC COUNT: WRITERS loops of `warroom note`, odd ones on host 1, even ones on host 2, started
# together (each waits for the go file). Writer i logs "PREFIX i n" in $T/PREFIX/i.ok when its command exited
# 0, and "rc TEXT" in i.fail with its stderr in i.err when not.
writers() {
  local prefix=$1 inc=$2 count=$3 i
  mkdir -p "$T/$prefix"
  rm -f "$T/$prefix.go"
  for ((i = 1; i <= WRITERS; i++)); do
    ( h=$((i % 2 + 1))
      while [ ! -e "$T/$prefix.go" ]; do sleep 0.01; done
      for ((n = 1; n <= count; n++)); do
        text="$prefix $i $n"
        host "$h" note "$inc" "$text" >/dev/null 2>"$T/$prefix/$i.last"
        rc=$?
        if [ "$rc" = 0 ]; then
          echo "$text" >>"$T/$prefix/$i.ok"
        else
          echo "$rc $text" >>"$T/$prefix/$i.fail"
          { echo "== $text: exit $rc"; cat "$T/$prefix/$i.last"; } >>"$T/$prefix/$i.err"
        fi
      done ) &
    WPIDS+=($!)
  done
  touch "$T/$prefix.go"
}
acked() { cat "$T/$1"/*.ok 2>/dev/null | wc -l; }
# writer_procs PREFIX INC COUNT: the same 16 writers as long-lived processes (tests/tools/wr_writer: one
# connection each, every note through the store's append as `warroom note` makes it, its id printed once
# acknowledged), so that 4000 notes cost 16 server backends, not 4000: writer i's notes are "PREFIX i n",
# n from 0; the acknowledged ones go to i.ok.
writer_procs() {
  local prefix=$1 inc=$2 count=$3 i
  mkdir -p "$T/$prefix"
  rm -f "$T/$prefix.go"
  for ((i = 1; i <= WRITERS; i++)); do
    ( h=$((i % 2 + 1)); url=$PGURL; [ "$h" = 2 ] && url=$PGURL_TCP
      while [ ! -e "$T/$prefix.go" ]; do sleep 0.01; done
      WARROOM_CACHE_DIR="$T/host$h" "$WR_BINDIR/wr_writer" "$url" "$inc" "$count" "$prefix $i" \
        >"$T/$prefix/$i.ids" 2>"$T/$prefix/$i.err"
      rc=$?
      n=$(wc -l <"$T/$prefix/$i.ids")
      for ((k = 0; k < n; k++)); do echo "$prefix $i $k"; done >"$T/$prefix/$i.ok"
      [ "$rc" = 0 ] || echo "$rc $prefix $i" >"$T/$prefix/$i.fail" ) &
    WPIDS+=($!)
  done
  touch "$T/$prefix.go"
}

# --- 16 writers x NOTES over both hosts -----------------------------------------------------------------------
t0=$(ms)
WPIDS=()
writer_procs w 1 "$NOTES"
wait "${WPIDS[@]}"
t1=$(ms)
total=$((WRITERS * NOTES))
echo "$total notes by $WRITERS writers over two hosts: $((t1 - t0)) ms; CPU: $(cpu)" >&2
check_eq "every note acknowledged" "$(acked w)" "$total"
check_eq "no note failed" "$(cat "$T"/w/*.fail 2>/dev/null | head -5)" ""
check_eq "notes in the log" "$(pgq "SELECT count(*) FROM events WHERE kind = 'note' AND incident = 1")" "$total"
check_eq "distinct event ids" "$(pgq "SELECT count(DISTINCT uid) || '/' || count(*) FROM events")" \
  "$((total + 1))/$((total + 1))"
pgq "SELECT $(jf text) FROM events WHERE kind = 'note' ORDER BY 1" >"$T/w.logged"
check_eq "the log's notes are the acknowledged ones, each once" \
  "$(cat "$T"/w/*.ok | sort | diff - "$T/w.logged" | head -5)" ""
check_eq "seq has no gap" "$(pgq "SELECT max(seq) - min(seq) + 1 - count(*) FROM events")" 0
for i in 1 2 15 16; do
  check_eq "writer $i's notes in its order" \
    "$(pgq "SELECT string_agg(split_part($(jf text), ' ', 3), ',' ORDER BY seq) FROM events
            WHERE kind = 'note' AND $(jf text) LIKE 'w $i %'")" "$(seq 0 $((NOTES - 1)) | paste -sd,)"
done
# The same state on both hosts (each from its own cache, brought up to date from the log).
export WARROOM_CLOCK="2026-12-01T12:00:00Z"
expect_rc "host 1: show --json" 0 h1 --json show INC-1
show1=$OUT
expect_rc "host 2: show --json" 0 h2 --json show INC-1
check_eq "show --json the same on both hosts" "$OUT" "$show1"
check_contains "show --json has the incident" "$show1" '"ref":"INC-1"'
h1 --json tail INC-1 >"$T/tail1" 2>"$T/tail1.err"
h2 --json tail INC-1 >"$T/tail2" 2>"$T/tail2.err"
check_eq "tail: every entry on host 1" "$(wc -l <"$T/tail1")" "$((total + 1))"
check_eq "tail the same on both hosts" "$(cmp "$T/tail1" "$T/tail2" && echo same)" same
check_eq "export the same on both hosts" "$(h1 export INC-1 --json | sha256sum)" "$(h2 export INC-1 --json | sha256sum)"
expect_rc "the chain verifies (host 2)" 0 h2 verify INC-1
unset WARROOM_CLOCK

# --- again, with the server stopped -m immediate in the middle ----------------------------------------------
expect_rc "host 1 declares INC-2" 0 h1 declare "Server crash" --severity SEV3
# A follower on host 2 across the crash: `tail -f` reconnects and misses nothing.
# (The binary itself in the background, not through h2: killing a function's subshell would leave it running.)
WARROOM_CACHE_DIR="$T/host2" WARROOM_DB="$PGURL_TCP" "$WR_BIN" --json tail -f INC-2 >"$T/follow.json" 2>"$T/follow.err" &
follower=$!
for ((k = 0; k < 500; k++)); do [ -s "$T/follow.json" ] && break; sleep 0.02; done
check "tail -f printed the declaration" [ -s "$T/follow.json" ]
WPIDS=()
writers c INC-2 "$CRASH_NOTES"
total=$((WRITERS * CRASH_NOTES))
# Once a third of the notes are acknowledged (a deadline for writers that never get going), the crash.
for ((k = 0; k < 6000; k++)); do [ "$(acked c)" -ge $((total / 3)) ] && break; sleep 0.02; done
before_crash=$(acked c)
check "a third acknowledged before the crash ($before_crash)" [ "$before_crash" -ge $((total / 3)) ]
t0=$(ms)
check "pg_ctl stop -m immediate (SIGQUIT)" pg_kill_immediate
t1=$(ms)
# While the server is away: exit 8, said plainly, nothing written (checked once it is back).
expect_rc "a note while the server is down" 8 h1 --wait 2 note INC-2 "written while the server was down"
case "$ERR" in
  *"nothing was written"* | *"was not written"*) ok ;;
  *) fail "a note while the server is down: the message does not say that nothing was written: $ERR" ;;
esac
check "the server starts again" pg_restart
t2=$(ms)
echo "crash at $before_crash of $total acknowledged; down $((t2 - t0)) ms (stop $((t1 - t0)) ms)" >&2
wait "${WPIDS[@]}"
n_ok=$(acked c)
n_fail=$(cat "$T"/c/*.fail 2>/dev/null | wc -l)
echo "crash run: $n_ok acknowledged, $n_fail failed" >&2
check_eq "every note either acknowledged or failed" "$((n_ok + n_fail))" "$total"
check "some notes acknowledged after the restart" [ "$n_ok" -gt "$before_crash" ]
pgq "SELECT $(jf text) FROM events WHERE kind = 'note' AND incident = 2 ORDER BY 1" >"$T/c.logged"
check_eq "no note twice in the log" "$(uniq -d "$T/c.logged" | head -5)" ""
check_eq "every acknowledged note is in the log" "$(cat "$T"/c/*.ok | sort | comm -23 - "$T/c.logged" | head -5)" ""
check_eq "distinct event ids" "$(pgq "SELECT count(DISTINCT uid) || '/' || count(*) FROM events")" \
  "$(pgq "SELECT count(*) || '/' || count(*) FROM events")"
# The failed ones: exit 8 (the server went away) or 5 (busy), nothing half-written: a failed note is in the
# log at most once (a commit whose answer was lost), and the message says what happened to it.
check_eq "failed notes exited 8 or 5" "$(cat "$T"/c/*.fail 2>/dev/null | awk '$1 != 8 && $1 != 5' | head -5)" ""
if [ "$n_fail" -gt 0 ]; then
  cut -d' ' -f2- "$T"/c/*.fail | sort >"$T/c.failed"
  landed=$(comm -12 "$T/c.failed" "$T/c.logged" | wc -l)
  echo "failed notes that are in the log all the same (commit's answer lost): $landed" >&2
  check_eq "every failure says whether anything was written" \
    "$(cat "$T"/c/*.err | awk '/^== /{n++} tolower($0) ~ /nothing was written|was not written|may have been written|may not have been written/{if(!(n in s)){s[n]=1;c++}} END{print c+0}')" \
    "$n_fail"
  grep -h -A2 '^== ' "$T"/c/*.err | head -6 >&2
fi
check_eq "the note refused while down is not in the log" \
  "$(grep -c '^written while the server was down$' "$T/c.logged")" 0
# The follower has every note of the log, each once (a deadline for it to catch up).
want=$(wc -l <"$T/c.logged")
for ((k = 0; k < 1500; k++)); do
  [ "$(grep -c '"kind":"note"' "$T/follow.json")" -ge "$want" ] && break
  sleep 0.02
done
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
python3 -c 'import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["kind"] == "note": print(e["payload"]["text"])' "$T/follow.json" | sort >"$T/c.followed"
check_eq "tail -f across the crash: every logged note, each once" "$(diff "$T/c.logged" "$T/c.followed" | head -5)" ""
[ -s "$T/follow.err" ] && { echo "tail -f's stderr across the crash:"; head -5 "$T/follow.err"; } >&2
export WARROOM_CLOCK="2026-12-01T12:00:00Z"
check_eq "after the crash: export the same on both hosts" \
  "$(h1 export INC-2 --json | sha256sum)" "$(h2 export INC-2 --json | sha256sum)"
check_eq "after the crash: tail on host 2 has every logged note" \
  "$(h2 --json tail INC-2 | grep -c '"kind":"note"')" "$(wc -l <"$T/c.logged")"
expect_rc "after the crash: the chain verifies" 0 h1 verify INC-2
unset WARROOM_CLOCK
# --- a role with only the documented rights (docs/store.md, "Rights") ----------------------------------------
# An owner role runs init; an operator is a login role in warroom_operators. Database A is made before the
# group role exists: the owner runs the GRANTs exactly as docs/store.md prints them. Database B is made after:
# init grants them itself. In both the operator works a whole incident, is recorded under the name
# warroom.operators maps its login to, and cannot rewrite the log.
OWNER="wrown$$$RANDOM" OPR="wrop$$$RANDOM"
pgq "CREATE ROLE $OWNER LOGIN" >/dev/null
pgq "CREATE ROLE $OPR LOGIN" >/dev/null
pg_createdb wr_a && pgq "ALTER DATABASE wr_a OWNER TO $OWNER" >/dev/null
pg_createdb wr_b && pgq "ALTER DATABASE wr_b OWNER TO $OWNER" >/dev/null
as_owner() { local db=$1; shift; WARROOM_CACHE_DIR="$T/owner" "$WR_BIN" --db "host=$PG_DIR/sock port=$PG_PORT dbname=$db user=$OWNER" "$@"; }
as_opr() { local db=$1; shift; WARROOM_CACHE_DIR="$T/opr" "$WR_BIN" --db "host=$PG_DIR/sock port=$PG_PORT dbname=$db user=$OPR" "$@"; }
psql_as() { "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "host=$PG_DIR/sock port=$PG_PORT dbname=$2 user=$1" -c "$3"; }
expect_rc "the owner inits database A (no warroom_operators yet)" 0 as_owner wr_a init
pgq "CREATE ROLE warroom_operators NOLOGIN; GRANT warroom_operators TO $OPR" >/dev/null
expect_rc "before the GRANTs: the operator may not read A" 6 as_opr wr_a list
grants=$(sed -n '/^### Rights/,/^### /p' "$WR_SRC/docs/store.md" | sed -n '/^```sql/,/^```/p' | grep -v '^```')
check_contains "docs/store.md lists the GRANTs" "$grants" "GRANT USAGE ON SCHEMA warroom TO warroom_operators"
expect_rc "the owner runs the documented GRANTs on A" 0 psql_as "$OWNER" wr_a "$grants"
expect_rc "the owner inits database B (init grants)" 0 as_owner wr_b init
for db in wr_a wr_b; do
  psql_as "$OWNER" "$db" "INSERT INTO warroom.operators(login, name) VALUES ('$OPR', 'dana')"
  expect_rc "$db: the operator declares" 0 as_opr "$db" declare "Rights check" --severity SEV3 --type outage
  expect_rc "$db: the operator notes" 0 as_opr "$db" note INC-1 "a note by a least-privileged role"
  expect_rc "$db: the operator attaches a runbook" 0 as_opr "$db" runbook attach INC-1 service-outage-degradation
  expect_rc "$db: the operator ticks a step" 0 as_opr "$db" step INC-1 confirm-user-impact done
  expect_rc "$db: the operator takes command" 0 as_opr "$db" assign incident-commander dana
  expect_rc "$db: the operator reads the timeline" 0 as_opr "$db" tail INC-1
  check_contains "$db: the note is there" "$OUT" "a note by a least-privileged role"
  expect_rc "$db: the operator verifies the chain" 0 as_opr "$db" verify INC-1
  expect_rc "$db: who (presence rows)" 0 as_opr "$db" who
  check_eq "$db: the operator's acts are recorded under its mapped name" \
    "$(psql_as "$OWNER" "$db" "SELECT string_agg(DISTINCT actor, ',') FROM warroom.events")" dana
  expect_rc "$db: the operator cannot delete from the log" 1 psql_as "$OPR" "$db" "DELETE FROM warroom.events"
  check_contains "$db: ... permission denied" "$ERR" "permission denied"
  expect_rc "$db: the operator cannot edit the log" 1 psql_as "$OPR" "$db" "UPDATE warroom.events SET payload = '{}'"
  check_contains "$db: ... permission denied" "$ERR" "permission denied"
  check_eq "$db: the log intact" "$(psql_as "$OWNER" "$db" "SELECT count(*) FROM warroom.events WHERE payload = '{}'")" 0
done

check_eq "integrity (pg_amcheck, both caches)" \
  "$(WARROOM_CACHE_DIR="$T/host1" db_integrity; WARROOM_CACHE_DIR="$T/host2" db_integrity)" "ok
ok"
finish
