#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# 8 processes writing 250 events each at the same moment: exactly 2000 events afterwards, none twice, no
# error printed, and the file passes integrity_check (on PostgreSQL: pg_amcheck, and the cache's integrity_check).
. "$(dirname "$0")/lib.sh"

wr init >/dev/null
wr declare "Concurrency test" >/dev/null
mkdir "$T/w"
# Start them together: each waits for the go file.
for i in 1 2 3 4 5 6 7 8; do
  ( while [ ! -e "$T/go" ]; do sleep 0.01; done
    exec "$WR_BINDIR/wr_writer" "$DB" 1 250 "writer$i" >"$T/w/$i.out" 2>"$T/w/$i.err" ) &
done
touch "$T/go"
wait
check_eq "events in the log" "$(events)" 2001
check_eq "distinct event ids" "$(dbq "SELECT count(DISTINCT uid) FROM events")" 2001
check_eq "distinct note texts" \
  "$(dbq "SELECT count(DISTINCT $(jf text)) FROM events WHERE kind='note'")" 2000
check_eq "acknowledged writes" "$(cat "$T"/w/*.out | sort -u | wc -l)" 2000
check_eq "nothing on stderr" "$(cat "$T"/w/*.err)" ""
check_eq "integrity" "$(db_integrity)" ok
on_sqlite && check_eq "journal mode" "$(sqlite3 "$DB" "PRAGMA journal_mode")" delete  # rollback journal, not wal
# Each writer's notes are in its own order.
for i in 1 8; do
  got=$(dbq "SELECT $(jf text) FROM events WHERE actor='writer$i' ORDER BY seq" | paste -sd,)
  want=$(seq 0 249 | sed "s/^/writer$i /" | paste -sd,)
  check_eq "writer$i order" "$got" "$want"
done
# The same through the CLI: 4 processes x 25 notes, all land.
for i in 1 2 3 4; do
  ( for n in $(seq 1 25); do wr --as "cli$i" note INC-1 "cli$i $n" >/dev/null || echo "fail $i $n"; done ) >"$T/cli$i.log" 2>&1 &
done
wait
check_eq "cli failures" "$(cat "$T"/cli*.log)" ""
check_eq "cli notes" "$(dbq "SELECT count(*) FROM events WHERE actor LIKE 'cli%'")" 100
finish
