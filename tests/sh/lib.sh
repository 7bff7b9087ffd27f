# SPDX-License-Identifier: MIT
# lib.sh - shared by the end-to-end tests: a private HOME, the binary, and small assertions.
# Source it first thing: `. "$(dirname "$0")/lib.sh"`.
set -u
WR_BIN=${WARROOM_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/warroom}
WR_BINDIR=${WARROOM_BINDIR:-$(dirname "$WR_BIN")}
WR_SRC=${WARROOM_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/wr-test.XXXXXX")
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share" \
       XDG_STATE_HOME="$T/home/.local/state" WARROOM_DATA_DIR="$WR_SRC"
unset WARROOM_DB WARROOM_CLOCK WARROOM_CACHE_DIR XDG_CACHE_HOME PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD \
      PGPASSFILE PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGCONNECT_TIMEOUT
mkdir -p "$HOME"
DB="$T/war.db"
TEST_NAME=$(basename "$0" .sh)
PASSED=0
FAILED=0
# Without the binary nothing here can be tested: a failure, never a pass or a skip.
[ -x "$WR_BIN" ] || { echo "FAIL [$TEST_NAME]: no warroom binary at $WR_BIN (build it first)" >&2; exit 1; }

cleanup() {
  local pids f
  pids=$(jobs -p)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  wait 2>/dev/null
  for f in "${CLEANUP_FUNCS[@]}"; do "$f"; done  # e.g. pg_lib.sh's server, stopped by PID
  rm -rf "$T" "${CLEANUP_EXTRA[@]}"
}
trap cleanup EXIT

# wr ARGS...: run warroom on the test database.
wr() { "$WR_BIN" --db "$DB" "$@"; }

ok() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL [$TEST_NAME]: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok; else fail "$what"; fi
}
check_eq() { # check_eq DESCRIPTION GOT EXPECTED
  if [ "$2" = "$3" ]; then ok; else fail "$1: got [$2], expected [$3]"; fi
}
check_contains() { # check_contains DESCRIPTION HAYSTACK NEEDLE (an empty NEEDLE is in everything: refused)
  if [ -z "$3" ]; then fail "$1: the text to look for is empty (a check that cannot fail)"; return; fi
  case "$2" in *"$3"*) ok ;; *) fail "$1: [$3] not in output:
$2" ;; esac
}
check_not_contains() {
  case "$2" in *"$3"*) fail "$1: [$3] unexpectedly in output:
$2" ;; *) ok ;; esac
}
# expect_rc DESCRIPTION RC COMMAND...: run COMMAND, check its exit status; output in $OUT, $ERR.
expect_rc() {
  local what=$1 want=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
  if [ "$rc" = "$want" ]; then ok; else fail "$what: exit $rc, expected $want (stderr: $ERR)"; fi
}
# json_valid TEXT: prints 1 if TEXT is one valid JSON document (SQLite's parser).
json_valid() { printf '%s' "$1" >"$T/json.tmp"; sqlite3 :memory: "SELECT json_valid(CAST(readfile('$T/json.tmp') AS TEXT))"; }
# count the events in the test database. When the count cannot be read, a text that differs on every call:
# two failed counts never compare equal ("nothing written" must not pass because both reads failed).
events() { dbq "SELECT count(*) FROM events" 2>/dev/null || echo "no-count-$RANDOM$RANDOM"; }
# hold_lock NAME [SQL|exclusive]: another process (sqlite3) takes the test database's write lock (BEGIN
# IMMEDIATE, then SQL if given; BEGIN EXCLUSIVE, which keeps readers out too, with "exclusive") and keeps it
# until release_lock NAME. Returns once the lock is held: the holder touches a file when it has it (a handshake,
# not a sleep). Its pid is in HOLDER_PID.
hold_lock() {
  local name=$1 begin="BEGIN IMMEDIATE;" sql=${2:-} i
  [ "$sql" = exclusive ] && { begin="BEGIN EXCLUSIVE;"; sql=""; }
  mkfifo "$T/$name.fifo"
  ( printf '.bail on\n.timeout 10000\n%s\n%s\n.shell touch %s\n' "$begin" "$sql" "$T/$name.held"
    read -r _ <"$T/$name.fifo"; printf 'COMMIT;\n' ) | sqlite3 "$DB" >/dev/null &
  HOLDER_PID=$!
  for ((i = 0; i < 200; i++)); do [ -e "$T/$name.held" ] && return 0; sleep 0.05; done
  fail "the lock holder $name never said it holds the lock"
  return 1
}
release_lock() { echo go >"$T/$1.fifo"; }
# skip REASON: this test cannot run here. Reported as skipped (exit 77, CMake's SKIP_RETURN_CODE), never as
# passed; the EXIT trap still cleans up.
skip() { echo "SKIP [$TEST_NAME]: $*"; exit 77; }
# share_install: a copy of the binary and its data (runbooks, themes, drills) in a directory every user may
# read, for tests that run warroom as other Unix users (the checkout may be private). Sets SHARED_BIN and
# SHARED_DATA; removed with the test directory's cleanup.
share_install() {
  SHARED_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wr-shared.XXXXXX")
  chmod 0755 "$SHARED_DIR"
  install -m 0755 "$WR_BIN" "$SHARED_DIR/warroom"
  local d
  for d in runbooks themes drills; do cp -r "$WR_SRC/$d" "$SHARED_DIR/$d"; done
  chmod -R a+rX "$SHARED_DIR"
  SHARED_BIN="$SHARED_DIR/warroom" SHARED_DATA="$SHARED_DIR"
  CLEANUP_EXTRA+=("$SHARED_DIR")
}
CLEANUP_EXTRA=() CLEANUP_FUNCS=()
finish() {
  echo "$PASSED passed, $FAILED failed"
  if [ $((PASSED + FAILED)) = 0 ]; then echo "FAIL [$TEST_NAME]: the script ran no check" >&2; return 1; fi
  [ "$FAILED" = 0 ]
}

# --- the back end under test --------------------------------------------------------------------------------
# WARROOM_TEST_BACKEND=sqlite (the default) or postgres. With postgres, a server of this test's own is started
# (tests/sh/pg_lib.sh), DB is its connection string, and this "host" keeps its cache in $T/cache. The tests that
# run on both (CMakeLists.txt: WARROOM_PG_TESTS, ctest names pg.NAME, label postgres) read the database through
# the helpers below, never with sqlite3 "$DB" directly.
WR_BACKEND=${WARROOM_TEST_BACKEND:-sqlite}
case "$WR_BACKEND" in
  sqlite) ;;
  postgres)
    [ "${WARROOM_TEST_HAVE_POSTGRES:-1}" = 1 ] || skip "warroom was built without PostgreSQL (-DWARROOM_POSTGRES=OFF)"
    . "$(dirname "${BASH_SOURCE[0]}")/pg_lib.sh"
    pg_start
    DB=$PGURL
    export WARROOM_CACHE_DIR="$T/cache"
    ;;
  *) echo "FAIL [$TEST_NAME]: WARROOM_TEST_BACKEND=$WR_BACKEND: sqlite or postgres" >&2; exit 1 ;;
esac
on_pg() { [ "$WR_BACKEND" = postgres ]; }
on_sqlite() { [ "$WR_BACKEND" = sqlite ]; }
# dbq SQL: query the event log (events, evidence, meta) where it is: sqlite3 on the file, psql on the server
# (schema warroom). Output as sqlite3's default: columns joined by |, one row a line.
dbq() {
  if on_pg; then pg_psql -c "$1"; else sqlite3 -cmd ".timeout 5000" "$DB" "$1"; fi
}
# jf FIELD: SQL for the text of payload's top-level FIELD, in the back end's dialect (for dbq's queries).
jf() { if on_pg; then printf "(payload::json->>'%s')" "$1"; else printf "json_extract(payload, '\$.%s')" "$1"; fi; }
# db_integrity: "ok" when the store's files are sound: SQLite's integrity_check of the database; on PostgreSQL,
# pg_amcheck of the test database's tables and indexes, and integrity_check of this host's cache files.
db_integrity() {
  if on_sqlite; then sqlite3 -cmd ".timeout 5000" "$DB" "PRAGMA integrity_check" 2>&1; return; fi
  local out f r
  out=$(PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/pg_amcheck" --install-missing -h "$PG_DIR/sock" -p "$PG_PORT" -U "$PG_SUPER" "$PG_DBNAME" 2>&1) ||
    { echo "pg_amcheck: $out"; return; }
  [ -n "$out" ] && { echo "pg_amcheck: $out"; return; }
  for f in "$WARROOM_CACHE_DIR"/pg-*.db; do
    [ -f "$f" ] || continue
    r=$(sqlite3 -cmd ".timeout 5000" "$f" "PRAGMA integrity_check" 2>&1)
    [ "$r" = ok ] || { echo "cache $f: $r"; return; }
  done
  echo ok
}

# stateq SQL: query the derived state (incidents, steps, pins, role_history, alerts...): the database itself on
# SQLite; on PostgreSQL this host's cache ($WARROOM_CACHE_DIR), brought up to date from the log first by a read.
stateq() {
  if on_sqlite; then sqlite3 -cmd ".timeout 5000" "$DB" "$1"; return; fi
  "$WR_BIN" --db "$DB" list --all >/dev/null 2>&1
  sqlite3 -cmd ".timeout 5000" "$(pg_cache_file)" "$1"
}
# pg_cache_file [TARGET]: this host's cache of the database TARGET (default $DB): pg-HASH-HOSTNAME.db in
# $WARROOM_CACHE_DIR, HASH the first 24 hex digits of the SHA-256 of the connection string as given.
pg_cache_file() {
  local f hash
  hash=$(printf '%s' "${1:-$DB}" | sha256sum | cut -c1-24)
  for f in "$WARROOM_CACHE_DIR/pg-$hash"-*.db "$WARROOM_CACHE_DIR/pg-$hash.db"; do
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  echo "$WARROOM_CACHE_DIR/pg-$hash-no-cache-file.db"
}
# db_exists: 0 when the store has been created (the file; the schema warroom on the server).
db_exists() {
  if on_sqlite; then [ -e "$DB" ]; else [ "$(pg_psql -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'warroom'")" != 0 ]; fi
}
db_absent() { ! db_exists; }
