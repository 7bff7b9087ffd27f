#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The command line as scripts and chat bots use it: every verb, --json, exit codes, wrong arguments that
# change nothing, a missing database, a newer schema left untouched, who did it.
. "$(dirname "$0")/lib.sh"
export WARROOM_CLOCK="2026-03-01T09:00:00Z+"

# No database yet: a clear error naming the place, nothing created.
expect_rc "missing database" 11 wr list
check_contains "missing names the path" "$ERR" "$DB"
check_contains "missing says how to create" "$ERR" "warroom init"
check "nothing created" db_absent
# Help needs no database: `COMMAND --help`, `help COMMAND`, `demo --help` (nothing created either).
expect_rc "declare --help, no database" 0 wr declare --help
check_contains "declare --help is its usage" "$OUT" "warroom declare"
expect_rc "help declare, no database" 0 wr help declare
check_contains "help status shows --into" "$(wr help status)" "--into INC"
expect_rc "demo --help" 0 wr demo --help
check_contains "demo --help usage" "$OUT" "warroom demo [--reset]"
check "help created nothing" db_absent
expect_rc "init" 0 wr init
on_sqlite && check_eq "file mode" "$(stat -c %a "$DB")" 660
expect_rc "init twice refused" 4 wr init

# Declare, list, show.
expect_rc "declare" 0 wr declare "Payment API 5xx spike" --severity SEV2 --type outage
check_eq "declare output" "$OUT" "INC-1 declared (SEV2)"
expect_rc "declare json" 0 wr --json declare Second incident --drill
check_eq "declare json output" "$OUT" '{"format":1,"ok":true,"incident":2,"ref":"INC-2","seq":2,"n":1}'
expect_rc "list" 0 wr list
check_contains "list shows INC-1" "$OUT" "INC-1"
check_contains "list marks drills" "$OUT" "[DRILL]"
expect_rc "list json" 0 wr list --json
check_eq "list json valid" "$(json_valid "$OUT")" 1
check_contains "list json fields" "$OUT" '"ref":"INC-1","title":"Payment API 5xx spike","severity":"SEV2"'

# With two incidents open, the ID must be given, and the error says so.
expect_rc "ambiguous incident" 2 wr note "hello"
check_contains "ambiguous lists them" "$ERR" "INC-2"
expect_rc "cancel the drill" 0 wr status INC-2 cancelled
expect_rc "note on the one open incident" 0 wr note "Error rate 14% on /v1/charge since 08:52"
check_contains "note ack" "$OUT" "INC-1: noted"

# tail: -n N is --lines N; --lines 0 prints nothing.
expect_rc "tail -n 1" 0 wr tail INC-1 -n 1
check_eq "tail -n 1 is one entry" "$(printf '%s\n' "$OUT" | wc -l)" 1
check_contains "tail -n 1 is the newest" "$OUT" "Error rate 14%"
expect_rc "tail --lines 1" 0 wr tail INC-1 --lines 1
check_contains "tail --lines 1 the same" "$OUT" "Error rate 14%"
expect_rc "tail --lines 0" 0 wr tail INC-1 --lines 0
check_eq "tail --lines 0 prints nothing" "$OUT" ""

# Wrong arguments: exit 2, the right form printed, nothing written.
before=$(events)
expect_rc "unknown command" 2 wr notr x
check_contains "did you mean" "$ERR" "did you mean note?"
expect_rc "bad severity" 2 wr severity SEV9
check_contains "severity usage" "$ERR" "usage: warroom severity"
expect_rc "bad field" 2 wr set severty SEV1
check_contains "field suggestion" "$ERR" "did you mean severity"
expect_rc "bad role" 2 wr assign scrib alice
check_contains "role suggestion" "$ERR" "did you mean"
expect_rc "unknown option" 2 wr list --loud
expect_rc "missing text" 2 wr note
expect_rc "bad status" 2 wr status contained
expect_rc "bad global option" 2 wr --wait abc list
expect_rc "empty title" 2 wr declare "   "
expect_rc "unclosed incident ref" 3 wr show INC-99
check_eq "nothing written by bad commands" "$(events)" "$before"

# Fields, roles, pins; who did it.
expect_rc "severity up" 0 wr severity SEV1 --reason "all card payments failing"
expect_rc "severity same again" 4 wr severity SEV1
check_contains "conflict says who" "$ERR" "already \"SEV1\""
expect_rc "summary" 0 wr set summary "Deploy 2026.03.01-2 broke the card tokenizer"
# Names that are no user of this host, not on call and new here need --new-user (a typo hands over nobody).
expect_rc "unknown name refused" 2 wr assign incident-commander alice
check_contains "unknown name says what to do" "$ERR" "add --new-user"
expect_rc "assign IC" 0 wr assign incident-commander alice --new-user
# Only the commander (or the deputy) hands over command; in an emergency --force --reason, recorded.
expect_rc "hand over IC by someone else" 14 wr --as bob assign IC carol --new-user
check_contains "refusal names the holder" "$ERR" "Incident commander: alice"
expect_rc "hand over IC, forced" 0 wr --as bob assign IC carol --new-user --force --reason "alice is unreachable"
expect_rc "responder 1" 0 wr assign responder dave --new-user
expect_rc "responder 2" 0 wr assign responder erin --new-user
expect_rc "unassign" 0 wr unassign responder dave
expect_rc "show" 0 wr show
check_contains "show IC" "$OUT" "Incident commander       carol"
check_contains "show responders" "$OUT" "Responder                erin"
check_contains "show severity" "$OUT" "INC-1  SEV1  triage"
check_contains "show summary" "$OUT" "Deploy 2026.03.01-2"
note_seq=$(dbq "SELECT seq FROM events WHERE kind='note' ORDER BY seq LIMIT 1")
expect_rc "pin" 0 wr pin "#$note_seq"
expect_rc "pin again" 4 wr pin "$note_seq"
check_eq "--as recorded beside the OS user" \
  "$(dbq "SELECT actor || '/' || CASE WHEN os_user = '$(id -un)' THEN 1 ELSE 0 END FROM events WHERE payload LIKE '%carol%' AND kind='role.assigned'")" "bob/1"
check_eq "handover history" \
  "$(stateq "SELECT holder || ':' || (to_at IS NOT NULL) FROM role_history WHERE role='incident-commander' ORDER BY start_seq" | paste -sd,)" \
  "alice:1,carol:0"

# export --json: the whole incident with old -> new values.
expect_rc "export" 0 wr export INC-1 --json
check_eq "export valid json" "$(json_valid "$OUT")" 1
check_contains "export old value" "$OUT" '"old":"SEV2"'
check_contains "export new value" "$OUT" '"new":"SEV1"'
check_contains "export previous holder" "$OUT" '"previous":"alice"'
expect_rc "show json" 0 wr --json show INC-1
check_contains "show json" "$OUT" '"severity":"SEV1"'

# tail prints the timeline in order.
expect_rc "tail" 0 wr tail INC-1
check_contains "tail first line" "$(echo "$OUT" | head -1)" "declared SEV2: Payment API 5xx spike"
check_contains "tail pinned mark" "$OUT" " * "

# help and version.
expect_rc "help" 0 wr help
check_contains "help lists note" "$OUT" "note"
expect_rc "help note" 0 wr note --help
check_contains "note usage" "$OUT" "warroom note [INC] [--tag"
expect_rc "version" 0 "$WR_BIN" --version
check_contains "version" "$OUT" "warroom 0."

# Hostile text is stored raw but printed harmless.
expect_rc "hostile note" 0 wr note "$(printf 'evil \033]0;pwned\007 \033[2J \302\233 31m \342\200\256 \377 end')"
expect_rc "show hostile" 0 wr tail INC-1
check_not_contains "no ESC reaches the terminal" "$OUT" "$(printf '\033')"
check_not_contains "no C1 CSI" "$OUT" "$(printf '\302\233')"
check_not_contains "no bidi override" "$OUT" "$(printf '\342\200\256')"
check_contains "marker shown" "$OUT" "␛"
raw=$(dbq "SELECT payload FROM events WHERE payload LIKE '%evil%'")
case "$raw" in *$'\033'* | *'\u001b'*) ok ;; *) fail "stored raw: no ESC (raw or \\u001b) in the stored payload: $raw" ;; esac

# SQL-looking text is just text.
expect_rc "sql note" 0 wr note "'); DROP TABLE events; -- \" \\ %"
check_contains "sql note stored" "$(wr tail INC-1)" "DROP TABLE events"
check_eq "integrity" "$(db_integrity)" ok

# The current state can be rebuilt from the event log, and comes out the same.
before_state=$(wr export INC-1 --json)
expect_rc "doctor --rebuild" 0 wr doctor --rebuild
check_contains "rebuild says so" "$OUT" "rebuilt the current state"
check_eq "same state after rebuild" "$(wr export INC-1 --json)" "$before_state"

# A database made by a newer warroom is refused, byte for byte unchanged.
# pg_newer: the same on the server: a copy of the test database with schema version 7 in warroom.meta;
# unchanged = the same pg_dump (but for the random key of its \restrict lines).
pg_dump_of() { "$PG_BIN/pg_dump" -d "$1" | grep -v '^\\\(un\)\?restrict '; }
pg_newer() {
  pg_createdb wr_newer "$PG_DBNAME" || { fail "copy the test database"; return; }
  local newer ours sum
  newer=$(pg_url wr_newer)
  ours=$(dbq "SELECT value FROM meta WHERE key = 'schema_version'")
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$newer" -c "UPDATE warroom.meta SET value = '7' WHERE key = 'schema_version'"
  sum=$(pg_dump_of "$newer" | sha256sum)
  expect_rc "newer schema refused" 10 "$WR_BIN" --db "$newer" note INC-1 hi
  check_contains "names both versions" "$ERR" "schema version 7"
  check_contains "names ours" "$ERR" "version $ours"
  check_eq "newer db unchanged" "$(pg_dump_of "$newer" | sha256sum)" "$sum"
}
if on_sqlite; then
  cp "$DB" "$T/newer.db"
  sqlite3 "$T/newer.db" "PRAGMA user_version = 7"
  sum=$(sha256sum "$T/newer.db" | cut -d' ' -f1)
  expect_rc "newer schema refused" 10 "$WR_BIN" --db "$T/newer.db" note INC-1 hi
  check_contains "names both versions" "$ERR" "schema version 7"
  check_contains "names ours" "$ERR" "version $(sqlite3 "$DB" "PRAGMA user_version")"
  check_eq "newer db unchanged" "$(sha256sum "$T/newer.db" | cut -d' ' -f1)" "$sum"
else
  # A copy of the test database on the server, its schema version set to 7; unchanged = the same dump.
  pg_newer
fi

# Not a database at all.
echo "hello" >"$T/text.db"
expect_rc "not a database" 9 "$WR_BIN" --db "$T/text.db" list
check_not_contains "never says locked" "$ERR" "locked"

# --read-only: reads work, writes say why. (A read-only file or directory: readonly_access.sh.)
expect_rc "--read-only write refused" 6 wr --read-only note INC-1 hi
check_contains "read-only says why" "$ERR" "read-only"
check_not_contains "never SQLite's 'not an error'" "$ERR" "not an error"
# An empty --db is refused: nothing "created" that is not on disk.
expect_rc "--db '' init" 2 "$WR_BIN" --db '' init
check_contains "empty path named" "$ERR" "the database path is empty"
check_not_contains "nothing created" "$OUT" "created"

# The DB location: $WARROOM_DB, then the config file, then XDG data dir.
mkdir -p "$XDG_CONFIG_HOME/warroom"
printf 'db: %s\n' "$DB" >"$XDG_CONFIG_HOME/warroom/config.yaml"
expect_rc "db from config" 0 "$WR_BIN" show INC-1
WARROOM_DB="$T/elsewhere.db" expect_rc "env wins over config" 11 "$WR_BIN" show INC-1
printf 'db: %s\ndbb: x\n' "$DB" >"$XDG_CONFIG_HOME/warroom/config.yaml"
expect_rc "bad config" 2 "$WR_BIN" show INC-1
check_contains "bad config position" "$ERR" "config.yaml:2:1: unknown key 'dbb' (did you mean 'db'?)"
# A config file that sets nothing (empty, or nothing but comments) is no error.
: >"$XDG_CONFIG_HOME/warroom/config.yaml"
WARROOM_DB="$DB" expect_rc "empty config" 0 "$WR_BIN" show INC-1
printf '# db: /srv/warroom/warroom.db

  # single_host: false
' >"$XDG_CONFIG_HOME/warroom/config.yaml"
WARROOM_DB="$DB" expect_rc "comments-only config" 0 "$WR_BIN" show INC-1
rm "$XDG_CONFIG_HOME/warroom/config.yaml"
expect_rc "default XDG place" 11 "$WR_BIN" list
check_contains "default path" "$ERR" "$XDG_DATA_HOME/warroom/warroom.db"
finish
