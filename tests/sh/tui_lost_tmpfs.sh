#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The console's database on a tmpfs that is unmounted under it (umount -l), and a new tmpfs mounted in its
# place with the backup (another device behind the same path): the banner says the database is lost, notes
# typed meanwhile are kept and land once each on the new mount, which the console opens again by itself.
# Needs root to mount a tmpfs: reported as skipped otherwise.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
. "$(dirname "$0")/tui_lib.bash"
mkdir -p "$T/mnt"
mount -t tmpfs -o size=16m wrtest "$T/mnt" 2>/dev/null || skip "cannot mount a tmpfs here"
trap 'tui_stop; umount -l "$T/mnt" 2>/dev/null; cleanup' EXIT
DB="$T/mnt/war.db"
wr init >/dev/null
wr declare "Lost and found" >/dev/null
sqlite3 "$DB" ".backup '$T/backup.db'"
notes() { sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM events WHERE kind = 'note' AND json_extract(payload, '\$.text') LIKE '$1%'" 2>/dev/null; }
type_note() { keys "$1" ':'; keys_literal "$1" "note $2"; keys "$1" Enter; }

tui_console m 140 40
expect_screen "console on tmpfs" m "Lost and found"
umount -l "$T/mnt"
expect_screen "unmounted: lost" m "DATABASE LOST" 5
type_note m "while unmounted 1"
type_note m "while unmounted 2"
expect_screen "kept" m "2 pending" 5
mount -t tmpfs -o size=16m wrtest "$T/mnt"
cp "$T/backup.db" "$DB"
n=0
for _ in $(seq 1 100); do
  n=$(notes "while unmounted")
  [ "$n" = 2 ] && break
  sleep 0.1
done
check_eq "landed on the new tmpfs, once each" "$n" 2
expect_screen "opened again" m "opened again" 5
check_eq "in the order typed" "$(sqlite3 "$DB" "SELECT group_concat(json_extract(payload,'\$.text'),'|') FROM (SELECT payload FROM events WHERE kind='note' ORDER BY seq)")" \
  "while unmounted 1|while unmounted 2"
check_eq "integrity" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok
keys m q
expect_screen "m quit" m "__EXIT=0" 5
finish
