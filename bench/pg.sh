#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/pg.sh BUILD_DIR [EVENTS [INTERVAL_MS [PROCS [EVENTS_PER_PROC]]]]     (defaults 1000 20 16 100)
# bench/pg.sh BUILD_DIR --costs                                              where an append's time goes
# The PostgreSQL back end beside SQLite, in one run (docs/BENCHMARKS.md "PostgreSQL: propagation and
# throughput"): starts a throw-away PostgreSQL server (initdb in a temp dir, Unix socket and a loopback port;
# as root under a user made for the run, else as the caller), then
#   bench_propagation --pg URL DIR EVENTS INTERVAL_MS     host to host through NOTIFY, and SQLite the same way;
#   bench_write --pg URL DIR PROCS EVENTS_PER_PROC        16 writers on two "hosts", and SQLite the same way.
# --costs: the server logs every statement with its time; bench_write --pg-only runs 1 writer and 16 writers
# with the caches on the disk, on tmpfs, one cache per writer, and the server's commits not flushed
# (synchronous_commit=off for that database only); bench/pg_hold.awk reads the log: how long each append holds
# the append lock and what it waits for meanwhile; then bench_propagation --pg with the caches on the disk and on
# tmpfs (docs/BENCHMARKS.md).
# The server is stopped by its PID at the end and everything it made is removed (the user too).
# Exit 77 (skipped, with the reason) without the server binaries or a build without PostgreSQL support.
set -u
B=$(cd "${1:-build}" && pwd) || exit 1
HERE=$(cd "$(dirname "$0")" && pwd)
COSTS=""
if [ "${2:-}" = --costs ]; then COSTS=1; set -- "$1"; fi
EVENTS=${2:-1000} INTERVAL=${3:-20} PROCS=${4:-16} PER=${5:-100}

skip() { echo "== PostgreSQL: skipped: $*"; exit 77; }
[ -x "$B/bench_propagation" ] && [ -x "$B/bench_write" ] || { echo "no bench_propagation, bench_write in $B"; exit 1; }
if [ ! -r "$B/CMakeCache.txt" ]; then
  skip "$B has no CMakeCache.txt: cannot tell whether it was built with PostgreSQL support"
elif ! grep -q '^WARROOM_POSTGRES:BOOL=ON' "$B/CMakeCache.txt"; then
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
  # track_commit_timestamp: bench_propagation reads each event's commit time on the server.
  opts="-k $W/pg -h 127.0.0.1 -p $PORT -c track_commit_timestamp=on"
  [ -n "$COSTS" ] && opts="$opts -c log_min_duration_statement=0 -c log_line_prefix='%n [%p] %d '"
  if as_pg "$PGBIN/pg_ctl" -D "$W/pg/data" -l "$W/pg/log" -o "$opts" -w -t 60 start >/dev/null; then
    started=1; break
  fi
done
[ -n "$started" ] || { cat "$W/pg/log"; echo "the server did not start"; exit 1; }
PGPID=$(head -1 "$W/pg/data/postmaster.pid")
mkdb() { as_pg "$PGBIN/createdb" -h "$W/pg" -p "$PORT" -U bench "$1" || exit 1; }
url() { echo "postgresql://bench@/$1?host=$W/pg&port=$PORT"; }

echo "== machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') (fsync on, synchronous_commit on, track_commit_timestamp on) on a Unix socket;" \
     "caches and SQLite files on $(df -T "$W" | awk 'NR==2{print $2}')"
rc=0
if [ -n "$COSTS" ]; then
  # costs NAME HOSTS PROCS PER CACHE_BASE [SQL]: one bench_write --pg-only run, then the log's reading.
  costs() {
    local db=$1 hosts=$2 procs=$3 per=$4 base=$5 sql=${6:-}
    mkdb "$db"
    [ -n "$sql" ] && as_pg "$PGBIN/psql" -q -h "$W/pg" -p "$PORT" -U bench -d "$db" -c "$sql"
    local dir
    dir=$(mktemp -d "$base/wr-pgcosts.XXXXXX") || return 1
    "$B/bench_write" --pg-only "$(url "$db")" "$dir" "$procs" "$per" "$hosts" | sed 1d || rc=1
    rm -rf "$dir"
    awk -v db="$db" -f "$HERE/pg_hold.awk" "$W/pg/log" || rc=1
  }
  TMPFS=""
  [ "$(df -T /dev/shm 2>/dev/null | awk 'NR==2{print $2}')" = tmpfs ] && [ -w /dev/shm ] && TMPFS=/dev/shm
  echo; echo "== one writer, 100 appends, its cache on the disk"
  costs one 1 1 100 "$W"
  if [ -n "$TMPFS" ]; then
    echo; echo "== one writer, 100 appends, its cache on tmpfs (no fsync)"
    costs onetmp 1 1 100 "$TMPFS"
  fi
  echo; echo "== 16 writers x 30, two hosts, caches on the disk"
  costs two 2 16 30 "$W"
  echo; echo "== 16 writers x 30, 16 hosts (no two writers share a cache), caches on the disk"
  costs sixteen 16 16 30 "$W"
  if [ -n "$TMPFS" ]; then
    echo; echo "== 16 writers x 30, two hosts, caches on tmpfs (no fsync)"
    costs twotmp 2 16 30 "$TMPFS"
  fi
  echo; echo "== 16 writers x 30, two hosts, caches on the disk, the server's commits not flushed"
  costs twonosync 2 16 30 "$W" "ALTER DATABASE twonosync SET synchronous_commit = off"
  # The follower's side: bringing its cache up to date on each NOTIFY, with the caches on the disk and on tmpfs.
  i=0
  for where in "$W" $TMPFS; do
    i=$((i + 1))
    mkdb "prop$i"
    dir=$(mktemp -d "$where/wr-pgcosts.XXXXXX") || exit 1
    echo; echo "== propagation, 300 events, one every 20 ms; caches and the SQLite file on" \
               "$(df -T "$dir" | awk 'NR==2{print $2}')"
    "$B/bench_propagation" --pg "$(url "prop$i")" "$dir" 300 20 || rc=1
    rm -rf "$dir"
  done
  echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit $rc
fi
mkdb prop
mkdb write
echo; echo "== propagation host to host: SQLite, then PostgreSQL through NOTIFY ($EVENTS events, one every $INTERVAL ms)"
"$B/bench_propagation" --pg "$(url prop)" "$W/bench" "$EVENTS" "$INTERVAL" || rc=1
echo; echo "== write throughput, $PROCS writers x $PER events: SQLite, then PostgreSQL (two hosts)"
"$B/bench_write" --pg "$(url write)" "$W/bench" "$PROCS" "$PER" || rc=1
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
