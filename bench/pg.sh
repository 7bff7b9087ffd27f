#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/pg.sh BUILD_DIR [EVENTS [INTERVAL_MS [PROCS [EVENTS_PER_PROC]]]]     (defaults 1000 20 16 200)
# The PostgreSQL back end beside SQLite, in one run (docs/BENCHMARKS.md "PostgreSQL: propagation and
# throughput"): starts a throw-away PostgreSQL server (initdb in a temp dir, Unix socket and a loopback port;
# as root under a user made for the run, else as the caller), then
#   bench_propagation --pg URL DIR EVENTS INTERVAL_MS     host to host through NOTIFY, and SQLite the same way;
#   bench_write --pg URL DIR PROCS EVENTS_PER_PROC        16 writers on two "hosts", and SQLite the same way.
# The server is stopped by its PID at the end and everything it made is removed (the user too).
# Exit 77 (skipped, with the reason) without the server binaries or a build without PostgreSQL support.
set -u
B=$(cd "${1:-build}" && pwd) || exit 1
EVENTS=${2:-1000} INTERVAL=${3:-20} PROCS=${4:-16} PER=${5:-200}

skip() { echo "== PostgreSQL: skipped: $*"; exit 77; }
if ! grep -q '^WARROOM_POSTGRES:BOOL=ON' "$B/CMakeCache.txt" 2>/dev/null; then
  skip "$B was built without PostgreSQL support (-DWARROOM_POSTGRES=OFF)"
fi
PGBIN=${WARROOM_PG_BINDIR:-}
if [ -z "$PGBIN" ]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { PGBIN=$d; break; }
  done
fi
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
  skip "no PostgreSQL server binaries (initdb, pg_ctl under /usr/lib/postgresql/*/bin or \$WARROOM_PG_BINDIR;" \
       "Debian: apt-get install postgresql)"
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/wr-pgbench.XXXXXX") || exit 1
chmod 755 "$W"
PGUSER_OS="" PGPID=""
cleanup() {
  if [ -n "$PGPID" ] && kill -0 "$PGPID" 2>/dev/null; then
    kill -INT "$PGPID" 2>/dev/null # fast shutdown
    for _ in $(seq 100); do kill -0 "$PGPID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PGPID" 2>/dev/null && kill -QUIT "$PGPID" 2>/dev/null
  fi
  [ -n "$PGUSER_OS" ] && userdel "$PGUSER_OS" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# As root: the server runs as a user made for this run (initdb refuses root); otherwise as the caller.
as_pg() { if [ -n "$PGUSER_OS" ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then
  PGUSER_OS="wrpgb$$$RANDOM"
  useradd -M -d /nonexistent -s /usr/sbin/nologin "$PGUSER_OS" || skip "cannot make a user to run the server"
fi
mkdir -p "$W/pg" "$W/bench"
[ -n "$PGUSER_OS" ] && chown "$PGUSER_OS" "$W/pg"
as_pg "$PGBIN/initdb" -D "$W/pg/data" -A trust -U bench >"$W/initdb.log" 2>&1 ||
  { cat "$W/initdb.log"; echo "initdb failed"; exit 1; }
# A free port: the socket's name carries it; the loopback port is only listened on.
started=""
for _ in 1 2 3 4 5; do
  PORT=$((20000 + RANDOM % 30000))
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
  if as_pg "$PGBIN/pg_ctl" -D "$W/pg/data" -l "$W/pg/log" -o "-k $W/pg -h 127.0.0.1 -p $PORT" -w -t 60 start \
      >/dev/null; then
    started=1; break
  fi
done
[ -n "$started" ] || { cat "$W/pg/log"; echo "the server did not start"; exit 1; }
PGPID=$(head -1 "$W/pg/data/postmaster.pid")
for db in prop write; do
  as_pg "$PGBIN/createdb" -h "$W/pg" -p "$PORT" -U bench "$db" || exit 1
done
url() { echo "postgresql://bench@/$1?host=$W/pg&port=$PORT"; }

echo "== machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') (fsync on, synchronous_commit on) on a Unix socket;" \
     "caches and SQLite files on $(df -T "$W" | awk 'NR==2{print $2}')"
rc=0
echo; echo "== propagation host to host: SQLite, then PostgreSQL through NOTIFY ($EVENTS events, one every $INTERVAL ms)"
"$B/bench_propagation" --pg "$(url prop)" "$W/bench" "$EVENTS" "$INTERVAL" || rc=1
echo; echo "== write throughput, $PROCS writers x $PER events: SQLite, then PostgreSQL (two hosts)"
"$B/bench_write" --pg "$(url write)" "$W/bench" "$PROCS" "$PER" || rc=1
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
