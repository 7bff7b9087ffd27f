#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Permissions as an ordinary user meets them: a database file of mode 0440 and a database in a directory of
# mode 0555. Reads work; a write is refused with exit 6 and says why (the directory is named), never SQLite's
# "not an error". Root ignores permissions, so as root the same checks run as a Unix user made for this run
# (unique name, removed at the end); as an ordinary user they run as that user.
. "$(dirname "$0")/lib.sh"

wr init >/dev/null
wr declare "Read-only" >/dev/null
if [ "$(id -u)" = 0 ]; then
  command -v useradd >/dev/null && command -v runuser >/dev/null || skip "as root this needs useradd and runuser"
  share_install
  RU="wrro$$$RANDOM"
  useradd -M -s /bin/sh "$RU" || skip "cannot add a user"
  W=$(mktemp -d "${TMPDIR:-/tmp}/wr-ro.XXXXXX")
  chmod 0755 "$W"
  chown "$RU" "$W"
  as_user() { runuser -u "$RU" -- env -i HOME=/nonexistent PATH=/usr/bin:/bin WARROOM_DATA_DIR="$SHARED_DATA" \
    XDG_CONFIG_HOME=/nonexistent "$SHARED_BIN" "$@"; }
  own() { chown -R "$RU" "$@"; }
else
  RU=""
  W="$T/w"
  mkdir "$W"
  as_user() { "$WR_BIN" "$@"; }
  own() { :; }
fi
ro_cleanup() {
  [ -d "$W/rodir" ] && chmod 0755 "$W/rodir"
  [ "$W" != "$T/w" ] && rm -rf "$W"
  [ -n "$RU" ] && id "$RU" >/dev/null 2>&1 && userdel "$RU" >/dev/null 2>&1
  cleanup
}
trap ro_cleanup EXIT
WHO=${RU:-$(id -un)}

# --- a read-only file
cp "$DB" "$W/ro.db"
own "$W/ro.db"
chmod 0440 "$W/ro.db"
expect_rc "read-only file: read" 0 as_user --db "$W/ro.db" show INC-1
check_contains "the incident is read" "$OUT" "Read-only"
expect_rc "read-only file: write refused" 6 as_user --db "$W/ro.db" note INC-1 hi
check_contains "names the file, its owner and mode" "$ERR" "the database $W/ro.db (owner $WHO, group"
check_contains "says why" "$ERR" "mode 0440) does not let its owner write it"
check_contains "says what to run" "$ERR" "chmod u+rw $W/ro.db"
check_not_contains "never SQLite's 'not an error'" "$ERR" "not an error"
check_eq "nothing written" "$(sqlite3 "file:$W/ro.db?mode=ro" "SELECT count(*) FROM events WHERE kind = 'note'")" 0

# --- a read-only directory
mkdir "$W/rodir"
cp "$DB" "$W/rodir/w.db"
own "$W/rodir"
chmod 0555 "$W/rodir"
expect_rc "read-only dir: read" 0 as_user --db "$W/rodir/w.db" show INC-1
check_contains "the incident is read" "$OUT" "Read-only"
expect_rc "read-only dir: write refused with the reason" 6 as_user --db "$W/rodir/w.db" note INC-1 hi
check_contains "names the directory, its owner and mode" "$ERR" "the directory $W/rodir (owner $WHO, group"
check_contains "says why" "$ERR" "mode 0555) does not let its owner write it"
check_contains "says what to run" "$ERR" "chmod u+rwx $W/rodir"
check_not_contains "never SQLite's 'not an error'" "$ERR" "not an error"
check_eq "nothing written" "$(sqlite3 "file:$W/rodir/w.db?mode=ro" "SELECT count(*) FROM events WHERE kind = 'note'")" 0
finish
