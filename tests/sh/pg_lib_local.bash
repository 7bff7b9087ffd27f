# SPDX-License-Identifier: MIT
# pg_lib_local.bash - a minimal stand-in for tests/sh/pg_lib.sh (the PostgreSQL test harness, written on another
# branch), with the same interface, for tests/sh/pg_migrate.sh until that harness is merged; then this file
# goes. Source it after lib.sh:
#   pg_start            initdb + pg_ctl -w start on a Unix socket in a private directory and on 127.0.0.1 (a free
#                       port); creates the test database; sets PGURL (libpq key=value), PG_SUPER, PG_PORT, PG_BIN.
#                       Skips the test (exit 77) when no server can run here.
#   pg_stop             fast shutdown by the postmaster's PID; returns once it is gone.
#   pg_psql ARGS...     psql as the superuser on the test database (unaligned, tuples only).
#   pg_url NAME, pg_createdb NAME: another database on the same server.
# As root (CI) initdb refuses to run: the server runs as a throw-away user with a unique name, removed at the end.
PG_BIN="" PG_DIR="" PG_OS_USER="" PG_PORT="" PG_SUPER="" PG_DBNAME=wr_test PG_RUN=() PG_MADE_USER=0

pg_as() { "${PG_RUN[@]}" env -i PATH=/usr/bin:/bin HOME="$PG_DIR" LANG=C LC_ALL=C "$@"; }
pg_pid() { [ -r "$PG_DIR/data/postmaster.pid" ] && head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null; }
pg_alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]; }
pg_running() { local p; p=$(pg_pid) && [ -n "$p" ] && pg_alive "$p"; }
pg_wait_gone() {
  local i
  for ((i = 0; i < $2 * 20; i++)); do pg_alive "$1" || return 0; sleep 0.05; done
  ! pg_alive "$1"
}

pg_start() {
  local d=${WARROOM_TEST_PG_BINDIR:-}
  [ -n "$d" ] || d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] ||
    skip "no PostgreSQL server here (initdb, pg_ctl, psql: Debian package postgresql)"
  PG_BIN=$d
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wr-pg.XXXXXX")
  chmod 0755 "$PG_DIR"
  trap 'pg_cleanup; cleanup' EXIT
  if [ "$(id -u)" = 0 ]; then
    command -v useradd >/dev/null && command -v runuser >/dev/null ||
      skip "running as root, and useradd/runuser are missing (initdb refuses root)"
    PG_OS_USER="wrpg$$$RANDOM"
    useradd -M -d "$PG_DIR" -s /bin/sh "$PG_OS_USER" || skip "cannot add the server's user $PG_OS_USER"
    PG_MADE_USER=1
    chown "$PG_OS_USER" "$PG_DIR"
    PG_RUN=(runuser -u "$PG_OS_USER" --)
  fi
  PG_SUPER="wrsu$$$RANDOM"
  pg_as mkdir -m 0755 "$PG_DIR/sock" || skip "cannot make the server's socket directory"
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U "$PG_SUPER" -E UTF8 --no-locale --no-sync \
    >"$PG_DIR/initdb.out" 2>&1 || { tail -20 "$PG_DIR/initdb.out" >&2; skip "initdb failed (above)"; }
  local tries
  for ((tries = 0; tries < 8; tries++)); do
    PG_PORT=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 120 \
      -o "-k $PG_DIR/sock -h 127.0.0.1 -p $PG_PORT" start >>"$PG_DIR/pg_ctl.out" 2>&1 && break
    grep -q "could not bind\|Address already in use\|could not create lock file" "$PG_DIR/log" 2>/dev/null || {
      tail -20 "$PG_DIR/pg_ctl.out" "$PG_DIR/log" >&2 2>/dev/null
      skip "the PostgreSQL server did not start (log above)"
    }
  done
  pg_running || skip "no free port for the PostgreSQL server after $tries tries"
  PGURL="host=$PG_DIR/sock port=$PG_PORT dbname=$PG_DBNAME user=$PG_SUPER"
  pg_createdb "$PG_DBNAME" >"$PG_DIR/createdb.out" 2>&1 || {
    cat "$PG_DIR/createdb.out" >&2
    fail "cannot create the test database in the test server"
    exit 1
  }
}

pg_psql() {
  PGOPTIONS="-c search_path=warroom,public" "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$PGURL" "$@"
}
pg_url() { echo "host=$PG_DIR/sock port=$PG_PORT dbname=$1 user=$PG_SUPER"; }
pg_createdb() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(pg_url postgres)" -c "CREATE DATABASE $1"; }

pg_stop() {
  local pid
  pid=$(pg_pid) || return 0
  [ -n "$pid" ] && pg_alive "$pid" || return 0
  kill -INT "$pid" 2>/dev/null
  pg_wait_gone "$pid" 60 && return 0
  kill -QUIT "$pid" 2>/dev/null
  pg_wait_gone "$pid" 20 || { kill -KILL "$pid" 2>/dev/null; pg_wait_gone "$pid" 10; }
}

pg_cleanup() {
  [ -n "$PG_DIR" ] || return 0
  pg_stop
  local p
  if [ "$PG_MADE_USER" = 1 ]; then
    for p in $(pgrep -u "$PG_OS_USER" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    for p in $(pgrep -u "$PG_OS_USER" 2>/dev/null); do pg_wait_gone "$p" 10; done
    userdel "$PG_OS_USER" >/dev/null 2>&1 || echo "pg_cleanup: could not remove the user $PG_OS_USER" >&2
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}
