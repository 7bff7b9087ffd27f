#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Presence across Unix users: two users of one group, umask 022, a setgid room directory. The first console
# makes <db>.presence (02770, the room's group); the other user's console writes its file there (0660, the
# group); each sees the other in the room, and `who --json` run by either lists both. The second user's
# console killed with SIGKILL leaves the first one's room within the (shortened) timeout, and the first user
# can sweep the file the other left (the directory is the group's).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"
[ "$(id -u)" = 0 ] || skip "needs root to create Unix users (CI runs as root)"
command -v useradd >/dev/null && command -v runuser >/dev/null || skip "useradd/runuser not available"

share_install
sfx="$$$RANDOM"
G="wpg$sfx" U1="wpa$sfx" U2="wpb$sfx"
users_cleanup() {
  tui_stop
  local u p
  for u in "$U1" "$U2"; do
    for p in $(pgrep -u "$u" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done # this run's own users, by pid
    id "$u" >/dev/null 2>&1 && userdel -r "$u" >/dev/null 2>&1
  done
  getent group "$G" >/dev/null && groupdel "$G"
  cleanup
}
trap users_cleanup EXIT
groupadd "$G" || skip "cannot add a group"
for u in "$U1" "$U2"; do useradd -m -s /bin/bash -G "$G" "$u" || skip "cannot add user $u"; done
BASE=$(mktemp -d "${TMPDIR:-/tmp}/wr-pres.XXXXXX")
chmod 0755 "$BASE"
CLEANUP_EXTRA+=("$BASE")
ROOM="$BASE/ir"
mkdir "$ROOM" && chgrp "$G" "$ROOM" && chmod 2770 "$ROOM"
DB="$ROOM/warroom.db"
P="$DB.presence"
envof() {
  local home
  home=$(getent passwd "$1" | cut -d: -f6)
  echo "env -i HOME=$home USER=$1 LOGNAME=$1 PATH=/usr/bin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
XDG_CONFIG_HOME=$home/.config XDG_STATE_HOME=$home/.local/state WARROOM_DATA_DIR=$SHARED_DATA \
WARROOM_PRESENCE_TIMEOUT_MS=3000"
}
as() { local u=$1; shift; runuser -u "$u" -- $(envof "$u") bash -c 'umask 022; exec "$@"' _ "$SHARED_BIN" --db "$DB" "$@"; }
console() { tui_start "$1" 120 40 "runuser -u $2 -- $(envof "$2") bash -c 'umask 022; exec $SHARED_BIN --db $DB'"; }
count() { as "$1" who --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["sessions"]))'; }
wait_count() { # USER N: poll until USER's `who` lists N (10 s)
  local i
  for ((i = 0; i < 200; i++)); do [ "$(count "$1")" = "$2" ] && return 0; sleep 0.05; done
  return 1
}

expect_rc "u1 inits" 0 as "$U1" init
expect_rc "u1 declares" 0 as "$U1" declare "Two users"
console c1 "$U1"
expect_screen "u1's console up" c1 "─ Timeline " 10
console c2 "$U2"
expect_screen "u2's console up" c2 "─ Timeline " 10
expect_screen "u1 sees u2" c1 "In the room (2)" 10
expect_screen "u2 sees u1" c2 "In the room (2)" 10
check_eq "the directory: made by u1, setgid, the room's group" "$(stat -c '%a %G %U' "$P")" "2770 $G $U1"
check_eq "the files: 0660, the room's group" "$(stat -c '%a %G' "$P"/* | sort -u)" "660 $G"
check_eq "the files' owners" "$(stat -c '%U' "$P"/* | sort | paste -sd,)" "$(printf '%s\n' "$U1" "$U2" | sort | paste -sd,)"
check_eq "u1's who lists both" "$(count "$U1")" 2
check_eq "u2's who lists both" "$(count "$U2")" 2
check_contains "who names u2" "$(as "$U1" who)" "$U2@"

pid2=$(tui_pid c2)
[ -z "$pid2" ] && pid2=$(pgrep -u "$U2" -x warroom | head -1)
check "u2's console pid" [ -n "$pid2" ]
kill -KILL "$pid2"
if wait_count "$U1" 1; then ok; else fail "u2's killed console is still in u1's room: $(as "$U1" who)"; fi
expect_screen "u1 sees u2 leave" c1 "In the room (1)" 5
f2=$(stat -c '%U %n' "$P"/* | awk -v u="$U2" '$1 == u {print $2}')
check "u2's file is left behind" [ -n "$f2" ]
runuser -u "$U1" -- rm -f "$f2" && ok || fail "u1 cannot remove u2's file"
finish
