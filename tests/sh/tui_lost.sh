#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The database goes away under a running console, and comes back:
#  - rm -rf of its directory, then the backup restored: a banner says what is wrong, notes typed meanwhile are
#    kept (counted in the status line, and in a file at once), the console opens the new file and each note
#    lands exactly once;
#  - the directory moved away and back (the same file): the same, without reopening;
#  - (a tmpfs unmounted and a new one mounted with the backup: tui_lost_tmpfs.sh; sshfs: tui_lost_sshfs.sh)
#  - quitting with notes not written asks; quitting anyway (and SIGTERM) keeps them in
#    $XDG_STATE_HOME/warroom; the next start offers them; they land once, and offering the same file again
#    writes nothing twice; n keeps them for a later start;
#  - two consoles at once keep each its own file; one killed with SIGKILL leaves its notes to the next start.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

R="$T/room"
mkdir -p "$R"
DB="$R/war.db"
wr init >/dev/null
wr declare "Lost and found" >/dev/null
backup() { sqlite3 "$DB" ".backup '$T/backup.db'"; }
notes() { sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM events WHERE kind = 'note' AND json_extract(payload, '\$.text') LIKE '$1%'" 2>/dev/null; }
# wait_notes PREFIX N [SECONDS]: poll until N notes starting with PREFIX are in the database.
wait_notes() {
  local i
  for ((i = 0; i < ${3:-10} * 10; i++)); do
    [ "$(notes "$1")" = "$2" ] && return 0
    sleep 0.1
  done
  return 1
}
pending_files() { ls "$XDG_STATE_HOME"/warroom/pending-*.jsonl 2>/dev/null; }
type_note() { keys "$1" ':'; keys_literal "$1" "note $2"; keys "$1" Enter; }

# --- rm -rf, then the backup restored
backup
tui_console a 140 40
expect_screen "console up" a "Lost and found"
rm -rf "$R"
expect_screen "the banner says the database is gone" a "DATABASE LOST" 5
expect_screen "... and why" a "is gone" 1
for k in 1 2 3; do type_note a "while gone $k"; done
expect_screen "three kept, counted" a "3 pending: note on INC-1 (+2 more)" 5
check "kept in a file at once" [ -n "$(pending_files)" ]
check_eq "the file holds the three" "$(cat $(pending_files) 2>/dev/null | grep -c 'while gone')" 3
mkdir -p "$R"
cp "$T/backup.db" "$DB"
if wait_notes "while gone" 3 10; then ok; else fail "the notes typed while gone did not land: $(notes 'while gone') of 3; $(screen a)"; fi
expect_screen "says it opened the database again" a "opened again" 5
wait_gone a "DATABASE LOST" 5 && ok || fail "the banner stayed: $(screen a)"
wait_gone a "pending: note" 5 && ok || fail "the pending count stayed: $(screen a)"
check_eq "each landed once" "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'note'")" 3
check_eq "in the order typed" "$(sqlite3 "$DB" "SELECT group_concat(json_extract(payload,'\$.text'),'|') FROM (SELECT payload FROM events WHERE kind='note' ORDER BY seq)")" \
  "while gone 1|while gone 2|while gone 3"
check_eq "the file went when they landed" "$(pending_files)" ""
expect_screen "shown in the timeline" a "while gone 3" 5
# The console carries on with the new file: a write lands at once.
type_note a "after the restore"
if wait_notes "after the restore" 1 5; then ok; else fail "a write after the restore did not land"; fi

# --- moved away and back: the same file
mv "$R" "$T/room.away"
expect_screen "moved away: lost" a "DATABASE LOST" 5
type_note a "while away 1"
type_note a "while away 2"
expect_screen "two kept" a "2 pending" 5
mv "$T/room.away" "$R"
if wait_notes "while away" 2 10; then ok; else fail "the notes typed while away did not land: $(screen a)"; fi
expect_screen "says it is back" a "the database is back" 5
check_eq "each once" "$(notes 'while away')" 2
check_eq "integrity" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok

# --- quitting with notes not written: asked; n stays; y keeps them in a file
backup
rm -rf "$R"
expect_screen "gone again" a "DATABASE LOST" 5
type_note a "kept over quit 1"
type_note a "kept over quit 2"
expect_screen "two kept" a "2 pending" 5
keys a q
expect_screen "quitting asks" a "2 changes not written yet (the database is gone): quit anyway? y/n" 3
keys a n
expect_screen "n stays" a "staying" 3
expect_no_screen "still running" a "__EXIT="
keys a q
expect_screen "asked again" a "quit anyway? y/n" 3
keys a y
expect_screen "quit" a "__EXIT=" 5
check_contains "says where they are kept" "$(screen a)" "kept in"
check_not_contains "not a clean exit" "$(screen a)" "__EXIT=0"
f=$(pending_files)
check "the file is there" [ -n "$f" ]
check_eq "the file holds the two" "$(grep -c 'kept over quit' "$f" 2>/dev/null)" 2
check_eq "each with its event id" "$(grep -c '"uid":"[0-9a-f]\{32\}"' "$f" 2>/dev/null)" 2
check_eq "only its owner may read it" "$(stat -c %a "$f")" 600
cp "$f" "$T/saved.jsonl"
mkdir -p "$R"
cp "$T/backup.db" "$DB"
n_before=$(sqlite3 "$DB" "SELECT count(*) FROM events")
# The next start offers them; y writes them, each once.
tui_console b 140 40
expect_screen "offered at the next start" b "2 changes from an earlier session" 5
expect_screen "... as a question" b "write them now? y/n" 1
keys b y
if wait_notes "kept over quit" 2 10; then ok; else fail "the saved notes did not land: $(screen b)"; fi
check_eq "the file went" "$(pending_files)" ""
# Offered again (a console killed after they landed leaves the file behind): nothing is written twice.
keys b q
expect_screen "b quit" b "__EXIT=0" 5
mkdir -p "$XDG_STATE_HOME/warroom"
cp "$T/saved.jsonl" "$f"
tui_console c 140 40
expect_screen "offered again" c "2 changes from an earlier session" 5
keys c y
expect_screen "landed (again: no-ops)" c "done: note on INC-1" 5
wait_gone c "pending" 5 && ok || fail "pending stayed: $(screen c)"
check_eq "still each once" "$(notes 'kept over quit')" 2
check_eq "nothing else written twice" "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind='note'")" \
  "$(( $(sqlite3 "$DB" "SELECT count(DISTINCT json_extract(payload,'\$.text')) FROM events WHERE kind='note'") ))"
check_eq "the file went again" "$(pending_files)" ""

# --- n at the start keeps them for later; SIGTERM keeps what is not written
backup
rm -rf "$R"
expect_screen "c: gone" c "DATABASE LOST" 5
type_note c "kept over term"
expect_screen "c: one kept" c "1 pending" 5
pid=$(tui_pid c)
kill -TERM "$pid"
expect_screen "SIGTERM ends it" c "__EXIT=143" 5
check_eq "SIGTERM kept it" "$(grep -c 'kept over term' $(pending_files) 2>/dev/null)" 1
mkdir -p "$R"
cp "$T/backup.db" "$DB"
tui_console d 140 40
expect_screen "offered" d "1 change from an earlier session" 5
keys d n
expect_screen "n keeps them" d "offered again when warroom starts" 3
check_eq "not written" "$(notes 'kept over term')" 0
type_note d "meanwhile"
if wait_notes "meanwhile" 1 5; then ok; else fail "a note while the offer was declined"; fi
keys d q
expect_screen "d quit" d "__EXIT=0" 5
check_eq "the declined one is still kept" "$(grep -c 'kept over term' $(pending_files) 2>/dev/null)" 1
tui_console e 140 40
expect_screen "offered again later" e "1 change from an earlier session" 5
keys e y
if wait_notes "kept over term" 1 10; then ok; else fail "the declined note did not land later"; fi
keys e q
expect_screen "e quit" e "__EXIT=0" 5
check_eq "the file went" "$(pending_files)" ""

# --- two consoles of one operator at once, each keeping its own; one is killed (SIGKILL): nothing of
#     either is lost, and the next start offers only what the killed one kept
backup
tui_console x 140 40
tui_console y 140 40
expect_screen "x up" x "Lost and found"
expect_screen "y up" y "Lost and found"
rm -rf "$R"
expect_screen "x: gone" x "DATABASE LOST" 5
expect_screen "y: gone" y "DATABASE LOST" 5
type_note x "from x"
type_note y "from y"
expect_screen "x keeps one" x "1 pending" 5
expect_screen "y keeps one" y "1 pending" 5
check_eq "two files, one per console" "$(pending_files | wc -l)" 2
kill -KILL "$(tui_pid x)"
expect_screen "x killed" x "__EXIT=137" 5
mkdir -p "$R"
cp "$T/backup.db" "$DB"
if wait_notes "from y" 1 10; then ok; else fail "y's note did not land: $(screen y)"; fi
check_eq "x's note is not written (x was killed)" "$(notes 'from x')" 0
check_eq "x's file stays, y's went" "$(cat $(pending_files) | grep -c 'from x') $(cat $(pending_files) | grep -c 'from y')" "1 0"
tui_console z 140 40
expect_screen "z offers what x kept" z "1 change from an earlier session" 5
expect_no_screen "not y's (y runs and wrote its own)" z "2 changes"
keys z y
if wait_notes "from x" 1 10; then ok; else fail "x's note did not land after the offer: $(screen z)"; fi
check_eq "each once" "$(notes 'from')" 2
keys z q
keys y q
expect_screen "z quit" z "__EXIT=0" 5
expect_screen "y quit" y "__EXIT=0" 5
check_eq "no file left" "$(pending_files)" ""

finish
