#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The first run: with no database where one is expected, the console asks before creating it (a vanished
# network mount must never get a fresh empty database put in its place silently); "n" creates nothing, "y"
# creates it (mode 0660) and opens an empty war room.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

tui_console n 100 30
expect_screen "asks first" n "Create a new, empty one there? [y/N]"
expect_screen "names the place" n "$DB"
keys n n Enter
expect_screen "declined" n "__EXIT=11"
check "nothing created" [ ! -e "$DB" ]

tui_console y 100 30
expect_screen "asks again" y "Create a new, empty one there? [y/N]"
keys y y Enter
expect_screen "empty war room" y "declare" 5
check "created" [ -e "$DB" ]
check_eq "mode 0660" "$(stat -c %a "$DB")" 660
keys y q
expect_screen "quit" y "__EXIT=0"

# Not on a terminal (a script): no question, an error that says where and how.
expect_rc "no terminal: no question" 11 "$WR_BIN" --db "$T/other.db" </dev/null
check_contains "says how" "$ERR" "warroom init"
check "nothing created without a terminal" [ ! -e "$T/other.db" ]
finish
