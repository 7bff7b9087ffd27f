# SPDX-License-Identifier: MIT
# pg_lib.sh - a throw-away PostgreSQL server for the end-to-end tests (Debian's `postgresql` package). Source it
# after lib.sh (lib.sh does so itself when WARROOM_TEST_BACKEND=postgres):
#   pg_start            initdb + pg_ctl -w start on a Unix socket in a private directory and on 127.0.0.1:PORT (a
#                       free port); creates the test database. Sets PGURL (libpq key=value, over the socket),
#                       PGURL_TCP (a postgresql:// URL over loopback), PG_SUPER (the superuser initdb made),
#                       PG_PORT, PG_BIN. Skips the test (exit 77) when no server can run here.
#   pg_stop             fast shutdown by the postmaster's PID (postmaster.pid's first line); returns once the
#                       process is gone (a deadline, then SIGQUIT/SIGKILL).
#   pg_kill_immediate   immediate shutdown (SIGQUIT to the postmaster: no checkpoint, clients cut off, crash
#                       recovery at the next start), returns once it is gone.
#   pg_restart          start it again on the same port and data (stopping it first if it runs).
#   pg_running          0 while the postmaster runs.
#   pg_psql ARGS...     psql as the superuser on the test database, unaligned, tuples only, search_path warroom.
#   pg_url NAME, pg_createdb NAME [TEMPLATE]: another database on the same server.
# $WARROOM_TEST_PG_OPTIONS: more server options, for looking into a test (e.g. "-c log_statement=all").
# Run as root (CI), initdb refuses to run: the server then runs as a throw-away unprivileged user with a unique
# name (removed at the end). Everything is stopped and removed by lib.sh's EXIT trap (cleanup), also when the
# test fails. No sleep synchronises anything: pg_ctl -w, and polling for the exact state with a deadline.
PG_BIN="" PG_DIR="" PG_OS_USER="" PG_PORT="" PG_SUPER="" PG_DBNAME=wr_test PG_RUN=() PG_MADE_USER=0

# pg_as CMD...: CMD as the server's owner (itself when not root), with a plain environment.
pg_as() {
  "${PG_RUN[@]}" env -i PATH=/usr/bin:/bin HOME="$PG_DIR" LANG=C LC_ALL=C "$@"
}
# pg_pid: the postmaster's pid (postmaster.pid's first line), empty when there is none.
pg_pid() { [ -r "$PG_DIR/data/postmaster.pid" ] && head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null; }
# pg_alive PID: 0 while the process exists and is not a zombie.
pg_alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]; }
pg_running() { local p; p=$(pg_pid) && [ -n "$p" ] && pg_alive "$p"; }
# pg_wait_gone PID SECONDS: 0 once PID is gone, 1 at the deadline.
pg_wait_gone() {
  local i
  for ((i = 0; i < $2 * 20; i++)); do pg_alive "$1" || return 0; sleep 0.05; done
  ! pg_alive "$1"
}

# pg_find_bin: the newest server installed under /usr/lib/postgresql/*/bin (Debian's layout), or the one in
# $WARROOM_TEST_PG_BINDIR (another layout: the directory holding initdb, pg_ctl and psql).
pg_find_bin() {
  local d=${WARROOM_TEST_PG_BINDIR:-}
  [ -n "$d" ] || d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] || return 1
  PG_BIN=$d
}

# pg_free_port: a TCP port nothing listens on now (the start retries another if it is taken meanwhile).
pg_free_port() {
  local p i
  for ((i = 0; i < 50; i++)); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if command -v ss >/dev/null; then
      [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return 0; }
    else
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    fi
  done
  return 1
}

# pg_server_start: pg_ctl -w start on PG_PORT; 0 when the server accepts connections.
pg_server_start() {
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 120 \
    -o "-k $PG_DIR/sock -h 127.0.0.1 -p $PG_PORT ${WARROOM_TEST_PG_OPTIONS:-}" start >>"$PG_DIR/pg_ctl.out" 2>&1
}

pg_start() {
  pg_find_bin || skip "no PostgreSQL server here (initdb, pg_ctl, psql in ${WARROOM_TEST_PG_BINDIR:-/usr/lib/postgresql/*/bin}: Debian package postgresql)"
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wr-pg.XXXXXX")
  chmod 0755 "$PG_DIR"
  CLEANUP_FUNCS+=(pg_cleanup)
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses root: the server runs as a user of its own, made for this run.
    command -v useradd >/dev/null && command -v runuser >/dev/null ||
      skip "running as root, and useradd/runuser are missing (initdb refuses root)"
    PG_OS_USER="wrpg$$$RANDOM"
    useradd -M -d "$PG_DIR" -s /bin/sh "$PG_OS_USER" || skip "cannot add the server's user $PG_OS_USER"
    PG_MADE_USER=1
    chown "$PG_OS_USER" "$PG_DIR"
    PG_RUN=(runuser -u "$PG_OS_USER" --)
  else
    PG_OS_USER=$(id -un)
    PG_RUN=()
  fi
  PG_SUPER="wrsu$$$RANDOM"
  pg_as mkdir -m 0755 "$PG_DIR/sock" || skip "cannot make the server's socket directory"
  if ! pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U "$PG_SUPER" -E UTF8 --no-locale --no-sync \
       >"$PG_DIR/initdb.out" 2>&1; then
    tail -20 "$PG_DIR/initdb.out" >&2
    skip "initdb failed (above)"
  fi
  local tries
  for ((tries = 0; tries < 8; tries++)); do
    PG_PORT=$(pg_free_port) || skip "no free TCP port on 127.0.0.1"
    pg_server_start && break
    # Taken between the look and the bind: another port. Anything else: the server cannot run here.
    grep -q "could not bind\|Address already in use\|could not create lock file" "$PG_DIR/log" 2>/dev/null || {
      tail -20 "$PG_DIR/pg_ctl.out" "$PG_DIR/log" >&2 2>/dev/null
      skip "the PostgreSQL server did not start (log above)"
    }
    pg_as sh -c ': >"$1"' _ "$PG_DIR/log"
  done
  pg_running || skip "no free port for the PostgreSQL server after $tries tries"
  PGURL="host=$PG_DIR/sock port=$PG_PORT dbname=$PG_DBNAME user=$PG_SUPER"
  PGURL_TCP="postgresql://$PG_SUPER@127.0.0.1:$PG_PORT/$PG_DBNAME"
  pg_createdb "$PG_DBNAME" >"$PG_DIR/createdb.out" 2>&1 || {
    cat "$PG_DIR/createdb.out" >&2
    fail "cannot create the test database in the test server"
    exit 1
  }
}

# pg_psql ARGS...: psql as the superuser on the test database; tables found in schema warroom first.
pg_psql() {
  PGOPTIONS="-c search_path=warroom,public" "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$PGURL" "$@"
}

# pg_cpu_ms: CPU time the server used so far (postmaster and its ended backends), in ms.
pg_cpu_ms() {
  local pid
  pid=$(pg_pid) && [ -n "$pid" ] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print int(($12 + $13 + $14 + $15) * 1000 / hz) }' "/proc/$pid/stat"
}
# pg_url NAME: the connection string (as PGURL) of another database NAME on the test server.
pg_url() { echo "host=$PG_DIR/sock port=$PG_PORT dbname=$1 user=$PG_SUPER"; }
# pg_createdb NAME [TEMPLATE]: a new database on the test server (a copy of TEMPLATE, which nobody may be
# connected to).
pg_createdb() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(pg_url postgres)" \
    -c "CREATE DATABASE $1${2:+ TEMPLATE $2}"
}

pg_stop() {
  local pid
  pid=$(pg_pid) || return 0
  [ -n "$pid" ] && pg_alive "$pid" || return 0
  kill -INT "$pid" 2>/dev/null                       # fast shutdown: clients cut off, checkpoint, exit
  pg_wait_gone "$pid" 60 && return 0
  echo "pg_stop: the server ($pid) did not stop in 60 s; immediate shutdown" >&2
  kill -QUIT "$pid" 2>/dev/null
  pg_wait_gone "$pid" 20 && return 0
  kill -KILL "$pid" 2>/dev/null
  pg_wait_gone "$pid" 10
}

pg_kill_immediate() {
  local pid
  pid=$(pg_pid) || return 1
  [ -n "$pid" ] && pg_alive "$pid" || return 1
  kill -QUIT "$pid" 2>/dev/null                      # immediate: as after a crash, recovery at the next start
  pg_wait_gone "$pid" 30 || { kill -KILL "$pid" 2>/dev/null; pg_wait_gone "$pid" 10; }
}

pg_restart() {
  pg_running && pg_stop
  pg_server_start || { tail -20 "$PG_DIR/pg_ctl.out" "$PG_DIR/log" >&2 2>/dev/null; return 1; }
}

# pg_cleanup: (from lib.sh's cleanup) the server stopped by PID, the user's other processes ended by PID, the user
# and the directory removed.
pg_cleanup() {
  [ -n "$PG_DIR" ] || return 0
  pg_stop
  local p
  if [ "$PG_MADE_USER" = 1 ]; then
    for p in $(pgrep -u "$PG_OS_USER" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done  # this run's own user
    for p in $(pgrep -u "$PG_OS_USER" 2>/dev/null); do pg_wait_gone "$p" 10; done
    userdel "$PG_OS_USER" >/dev/null 2>&1 || echo "pg_cleanup: could not remove the user $PG_OS_USER" >&2
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
}
