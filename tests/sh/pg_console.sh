#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The console on PostgreSQL when the server goes away (issue 17): stopped -m immediate under an open console,
# the console says "disconnected from the database: reconnecting", stays readable, keeps what the operator
# types; once the server is back it says so, writes every kept change exactly once, in the order typed, and
# shows what another host wrote meanwhile, no key pressed. A second console on another "host" (its own cache)
# sees the kept changes arrive.
. "$(dirname "$0")/lib.sh"
[ "${WARROOM_TEST_HAVE_POSTGRES:-1}" = 1 ] || skip "warroom was built without PostgreSQL (-DWARROOM_POSTGRES=OFF)"
if ! on_pg; then  # ctest's sh.pg_console: this test's own server
  . "$(dirname "$0")/pg_lib.sh"
  pg_start
  WR_BACKEND=postgres DB=$PGURL
  export WARROOM_CACHE_DIR="$T/cache"
fi
. "$(dirname "$0")/tui_lib.bash"

expect_rc "init" 0 wr init
expect_rc "declare" 0 wr declare "Console across a restart" --severity SEV2
tui_console a 120 40 --as ana
tui_console b 120 40 --as ben
expect_screen "a open" a "Console across a restart" 15
expect_screen "b open" b "Console across a restart" 15
expect_screen "both in the room" a "In the room (2)" 15

check "the server stopped -m immediate under the consoles" pg_kill_immediate
expect_screen "a says the database is gone" a "disconnected from the database: reconnecting" 15
expect_screen "a still shows the incident" a "Console across a restart"
# What ana types meanwhile is kept.
keys a ':'
keys_literal a "note first kept while the server was away"
keys a Enter
keys a ':'
keys_literal a "note second kept while the server was away"
keys a Enter
check "the server starts again" pg_restart
expect_screen "a says it is back and wrote what it kept" a "reconnected to the database" 30
# Exactly once each, in the order typed.
for ((k = 0; k < 300; k++)); do
  [ "$(dbq "SELECT count(*) FROM events WHERE $(jf text) LIKE '% kept while the server was away'")" -ge 2 ] && break
  sleep 0.05
done
check_eq "the kept notes on the server, once each, in order" \
  "$(dbq "SELECT $(jf text) FROM events WHERE $(jf text) LIKE '% kept while the server was away' ORDER BY seq" | paste -sd,)" \
  "first kept while the server was away,second kept while the server was away"
expect_screen "b sees a's kept notes, no key pressed there" b "second kept while the server was away" 30
# Another host writes: both consoles show it, no key pressed.
WARROOM_CACHE_DIR="$T/cli-host" expect_rc "a CLI on another host notes" 0 wr note INC-1 "from another host after the restart"
expect_screen "a shows the other host's note" a "from another host after the restart" 15
expect_screen "b shows the other host's note" b "from another host after the restart" 15
keys a q
keys b q
expect_screen "a quits" a "__EXIT=0" 15
expect_screen "b quits" b "__EXIT=0" 15
check_eq "still once each after the consoles quit" \
  "$(dbq "SELECT count(*) FROM events WHERE $(jf text) LIKE '% kept while the server was away'")" 2
check_eq "integrity" "$(db_integrity)" ok
finish
