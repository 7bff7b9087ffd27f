# SPDX-License-Identifier: MIT
# pg_migrate.sh - `warroom migrate` between the back ends, against a real PostgreSQL server started here:
# a SQLite war room (incidents, a merge, roles and a handover, a runbook's steps, evidence, pins) copied into a
# fresh PostgreSQL database: every event with its seq, uid and hash, the evidence bytes, the state matching,
# `tail`, `show --json`, `export --json`, `roles`, `list` the same through both; a database that holds a war
# room refused with nothing changed (an empty one made by `init` taken); a source whose state does not follow
# from its log refused with nothing left on the server; back from PostgreSQL into a new file, the same again;
# then the server's log changed behind warroom's back with psql (a payload edited, an entry deleted): `verify`
# reports the break from the server's rows (exit 1), also from a host with a fresh cache, `doctor` too, and a
# copy of the broken log is not kept; evidence bytes changed there are found; with the server stopped, verify
# says it cannot check (exit 8) instead of vouching for this host's copy. Skipped (exit 77) where no server
# can run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
command -v sqlite3 >/dev/null || skip "the sqlite3 program is not installed"
"$WR_BIN" --db "host=$T/nowhere dbname=x" list >/dev/null 2>"$T/nopg"
grep -q "without PostgreSQL" "$T/nopg" && skip "warroom was built without PostgreSQL (-DWARROOM_POSTGRES=OFF)"
pg_start
export WARROOM_CACHE_DIR="$T/cache-a"
me=$(id -un)

# ---- a SQLite war room with some history ----
wr init >/dev/null
wr declare --severity SEV2 --type credential-leak "Leaked key in a public repo" >/dev/null
wr declare --severity SEV3 "Second incident" >/dev/null
wr declare "Duplicate of the first" >/dev/null
wr assign INC-1 incident-commander "$me" >/dev/null
wr assign INC-1 scribe "$me" >/dev/null
wr assign INC-1 incident-commander alice --new-user >/dev/null          # a handover: role history
wr assign INC-2 responder bob --new-user >/dev/null
wr severity INC-1 SEV1 --reason "customer data" >/dev/null
for i in 1 2 3 4 5; do wr note INC-1 "note $i on the leak" >/dev/null; wr note INC-2 "note $i" >/dev/null; done
wr runbook attach INC-1 api-abuse >/dev/null
wr step INC-1 characterise-traffic done >/dev/null
wr step INC-1 check-auth-success-ratio skip --reason "no auth logs" >/dev/null
printf 'key=AKIA...\nline two\n\001binary\n' >"$T/finding.txt"
wr attach INC-1 --note "the file in the repo" "$T/finding.txt" >/dev/null
wr pin INC-1 3 >/dev/null
wr pin INC-2 2 >/dev/null
wr status INC-3 merged --into INC-1 >/dev/null 2>&1 || wr status INC-3 merged --into INC-1 --force --reason duplicate >/dev/null
wr asset INC-1 add api public-api >/dev/null
"$WR_BINDIR/wr_writer" "$DB" 2 600 bulk >/dev/null || fail "600 notes (more than two of migrate's batches of rows)"
# Evidence in more than one of the server reader's pages (64 rows, or 16 MiB past a page's first row): two
# files of 9 MiB (the cap raised to 12 MiB for them), then 66 small ones: pages of 3, 64 and 2 rows.
mkdir -p "$XDG_CONFIG_HOME/warroom"
echo "evidence_cap: 12582912" >"$XDG_CONFIG_HOME/warroom/config.yaml"
head -c 9437184 /dev/urandom >"$T/big1.bin"
head -c 9437184 /dev/urandom >"$T/big2.bin"
wr attach INC-2 "$T/big1.bin" >/dev/null || fail "attach big1"
wr attach INC-2 "$T/big2.bin" >/dev/null || fail "attach big2"
for i in $(seq 1 66); do echo "small file $i" >"$T/small.txt"; wr attach INC-2 "$T/small.txt" >/dev/null || fail "attach $i"; done
check_eq "all evidence there" "$(sqlite3 "$DB" "SELECT count(*), sum(length(bytes)) > 18874368 FROM evidence")" "69|1"
big_seq=$(sqlite3 "$DB" "SELECT max(seq) FROM evidence WHERE length(bytes) = 9437184")
big_n=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE incident = 2 AND seq <= $big_seq")
big_sum=$(wr evidence INC-2 "$big_n" --raw | sha256sum) # as stored (after redaction)
check_eq "the big ones stored whole" "$(sqlite3 "$DB" "SELECT count(*) FROM evidence WHERE length(bytes) = 9437184")" 2
check_eq "merged" "$(sqlite3 "$DB" "SELECT status FROM incidents WHERE id = 3")" merged
check_eq "a handover" "$(sqlite3 "$DB" "SELECT count(*) FROM role_history WHERE role = 'incident-commander'")" 2
nev=$(events)

# ---- into a fresh PostgreSQL database ----
pg_createdb wr_mig >/dev/null
PGA=$(pg_url wr_mig)
pga() { "$WR_BIN" --db "$PGA" "$@"; }
expect_rc "migrate into an empty database" 0 wr migrate --to "$PGA"
check_contains "says state matches" "$OUT" "state matches"
check_contains "counts" "$OUT" "$nev events, 69 evidence, 3 incidents"
log_sql="SELECT seq || ' ' || uid || ' ' || coalesce(incident, 0) || ' ' || occurred_at || ' ' || recorded_at || ' ' || kind || ' ' || hash || ' ' || prev_hash FROM events ORDER BY seq"
check_eq "every event with its seq, uid and hash" "$(PGURL=$PGA pg_psql -c "$log_sql")" "$(sqlite3 "$DB" "$log_sql")"
check_eq "payloads as they were" "$(PGURL=$PGA pg_psql -c "SELECT md5(string_agg(payload, '|' ORDER BY seq)) FROM events")" \
  "$(sqlite3 "$DB" "SELECT group_concat(payload, '|') FROM (SELECT payload FROM events ORDER BY seq)" | tr -d '\n' | md5sum | cut -d' ' -f1)"
check_eq "evidence bytes" "$(PGURL=$PGA pg_psql -c "SELECT seq || ' ' || encode(bytes, 'hex') FROM evidence WHERE length(bytes) < 1000 ORDER BY seq")" \
  "$(sqlite3 "$DB" "SELECT seq || ' ' || lower(hex(bytes)) FROM evidence WHERE length(bytes) < 1000 ORDER BY seq")"
check_eq "the big evidence" "$(WARROOM_CACHE_DIR="$T/cache-b" pga evidence INC-2 "$big_n" --raw | sha256sum)" "$big_sum"
check_eq "schema version" "$(PGURL=$PGA pg_psql -c "SELECT value FROM meta WHERE key = 'schema_version'")" \
  "$(sqlite3 "$DB" "PRAGMA user_version")"
# The same war room through both back ends (another host: a cache of its own).
same_through_both() { # DESCRIPTION ARGS...: the command's output from the file and from the server
  local what=$1; shift
  expect_rc "$what (file)" 0 wr "$@"
  local a=$OUT
  WARROOM_CACHE_DIR="$T/cache-b" expect_rc "$what (server)" 0 pga "$@"
  check_eq "$what: the same through both" "$OUT" "$a"
}
same_through_both "tail" tail INC-1 -n 1000
same_through_both "tail INC-2" tail INC-2
same_through_both "show --json" show INC-1 --json
same_through_both "export --json" export INC-1 --json
same_through_both "roles --history" roles INC-1 --history
same_through_both "list --json" list --all --json
same_through_both "evidence" evidence INC-1 "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE incident = 1 AND seq <= (SELECT seq FROM evidence)")" --raw
expect_rc "verify on the server" 0 pga verify
check_contains "all entries" "$OUT" "$nev entries"
# It works as a war room: a write lands on the server.
expect_rc "a note on the server" 0 pga note INC-1 "after the move"
check_eq "on the server" "$(PGURL=$PGA pg_psql -c "SELECT count(*) FROM events")" $((nev + 1))

# ---- a database that holds a war room is refused, nothing changed ----
snap_sql="SELECT count(*) || ' ' || max(seq) || ' ' || md5(string_agg(hash, ',' ORDER BY seq)) || ' ' || (SELECT value FROM meta WHERE key = 'log_id') FROM events"
before=$(PGURL=$PGA pg_psql -c "$snap_sql")
expect_rc "into a war room: refused" 4 wr migrate --to "$PGA"
check_contains "says why" "$ERR" "already holds a war room"
check_contains "says nothing changed" "$ERR" "nothing was changed"
check_eq "nothing changed there" "$(PGURL=$PGA pg_psql -c "$snap_sql")" "$before"
# ... but an empty war room made by init is an empty database.
pg_createdb wr_init >/dev/null
PGI=$(pg_url wr_init)
expect_rc "init on the server" 0 "$WR_BIN" --db "$PGI" init
expect_rc "into an empty war room" 0 wr migrate --to "$PGI"
check_eq "all there" "$(PGURL=$PGI pg_psql -c "SELECT count(*) FROM events")" "$nev"
# A file that exists is refused too.
cp "$DB" "$T/exists.db"
sum=$(sha256sum "$T/exists.db")
expect_rc "into an existing file: refused" 4 wr migrate --to "$T/exists.db"
check_eq "the file unchanged" "$(sha256sum "$T/exists.db")" "$sum"
expect_rc "no target: usage" 2 wr migrate
expect_rc "the war room itself: usage" 2 wr migrate --to "$DB"

# ---- a source whose state does not follow from its log: refused, nothing left on the server ----
cp "$DB" "$T/skewed.db"
sqlite3 "$T/skewed.db" "UPDATE roles SET since = since + 1 WHERE role = 'scribe'"
pg_createdb wr_skew >/dev/null
PGS=$(pg_url wr_skew)
expect_rc "a state that differs: refused" 1 "$WR_BIN" --db "$T/skewed.db" migrate --to "$PGS"
check_contains "names the table" "$ERR" "in table roles"
check_contains "nothing kept" "$ERR" "nothing was kept"
check_eq "rolled back: no schema there" "$(PGURL=$PGS pg_psql -c "SELECT to_regnamespace('warroom') IS NULL")" t
expect_rc "to a file: refused" 1 "$WR_BIN" --db "$T/skewed.db" migrate --to "$T/skewed-copy.db"
check "no file left" test ! -e "$T/skewed-copy.db"

# ---- back: from the server into a new file ----
expect_rc "from the server into a file" 0 pga migrate --to "$T/back.db"
check_contains "back: state matches" "$OUT" "state matches"
check_contains "back: counts" "$OUT" "$((nev + 1)) events, 69 evidence, 3 incidents"
check_eq "back: the log" "$(sqlite3 "$T/back.db" "$log_sql")" "$(PGURL=$PGA pg_psql -c "$log_sql")"
check_eq "back: evidence" "$(sqlite3 "$T/back.db" "SELECT seq || ' ' || lower(hex(bytes)) FROM evidence WHERE length(bytes) < 1000 ORDER BY seq")" \
  "$(PGURL=$PGA pg_psql -c "SELECT seq || ' ' || encode(bytes, 'hex') FROM evidence WHERE length(bytes) < 1000 ORDER BY seq")"
check_eq "back: the big evidence" "$("$WR_BIN" --db "$T/back.db" evidence INC-2 "$big_n" --raw | sha256sum)" "$big_sum"
wr note INC-1 "after the move" >/dev/null # the original, brought to the same log length (its own uid)
for cmd in "show INC-1 --json" "roles INC-1 --history" "list --all --json" "tail INC-2"; do
  # shellcheck disable=SC2086
  check_eq "back: $cmd" "$("$WR_BIN" --db "$T/back.db" $cmd 2>&1)" "$(WARROOM_CACHE_DIR="$T/cache-b" pga $cmd 2>&1)"
done
expect_rc "back: verify" 0 "$WR_BIN" --db "$T/back.db" verify
expect_rc "back: json" 0 pga migrate --to "$T/back2.db" --json
check_eq "json valid" "$(json_valid "$OUT")" 1
check_contains "json ok" "$OUT" '"ok":true'

# ---- the server's log changed behind warroom's back: verify reads the server ----
edited=$(PGURL=$PGA pg_psql -c "SELECT seq FROM events WHERE kind = 'note' AND payload LIKE '%note 2 on the leak%'")
deleted=$(PGURL=$PGA pg_psql -c "SELECT seq FROM events WHERE incident = 2 AND kind = 'note' AND payload LIKE '%note 4%'")
PGURL=$PGA pg_psql -c "UPDATE events SET payload = replace(payload, 'note 2 on the leak', 'nothing leaked') WHERE seq = $edited"
expect_rc "verify finds an edited payload" 1 pga verify
check_contains "edited, named" "$OUT" "edited"
check_contains "the entry" "$OUT" "BROKEN INC-1"
PGURL=$PGA pg_psql -c "DELETE FROM events WHERE seq = $deleted"
expect_rc "verify finds a deleted entry" 1 pga verify
check_contains "deleted, named" "$OUT" "deleted"
check_contains "in its chain" "$OUT" "BROKEN INC-2"
WARROOM_CACHE_DIR="$T/cache-c" expect_rc "a fresh host finds it too" 1 pga verify --json
check_contains "json: edited" "$OUT" '"what":"edited"'
check_contains "json: deleted" "$OUT" '"what":"deleted"'
expect_rc "doctor reports it" 1 pga doctor
check_contains "doctor: chain" "$OUT" "BROKEN"
expect_rc "the broken log is not copied" 1 pga migrate --to "$T/broken.db"
check_contains "says the chain" "$ERR" "chain does not verify"
check "no broken copy left" test ! -e "$T/broken.db"
# This host's cache still holds the entries as they were: only the server's rows tell.
cache=("$T/cache-a/pg-$(printf %s "$PGA" | sha256sum | cut -c1-24)"*.db) # named after the target (and host)
check_eq "one cache for the target" "${#cache[@]}" 1
check_eq "the cache is not what was checked" "$(sqlite3 "${cache[0]}" "SELECT count(*) FROM events WHERE seq = $deleted")" 1
# Evidence bytes changed on the server.
PGURL=$PGA pg_psql -c "UPDATE evidence SET bytes = bytes || '\\x00'::bytea"
expect_rc "verify finds changed evidence" 1 pga verify --json
check_contains "json: evidence" "$OUT" '"what":"evidence"'
# The server gone: verify says it cannot check the server's log, never vouches for this host's copy.
pg_stop
expect_rc "no server: verify cannot check" 8 pga verify
check_contains "says the server's log" "$ERR" "cannot check the server's log"
check_not_contains "no verdict" "$OUT" "verdict: ok"
finish
