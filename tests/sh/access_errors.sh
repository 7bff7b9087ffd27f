#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Outcomes that used to mislead: a 0660 database of another user and group ("is the directory there and
# mounted?"), a directory the user cannot enter (exit 11, "its directory does not exist either"). Each now
# says what is in the way, names the file, its owner and mode, and what to run; exit 6 (no permission).
# (A read-only mount: readonly_mount.sh.)
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to create Unix users (CI runs as root)"
command -v useradd >/dev/null && command -v runuser >/dev/null || skip "useradd/runuser not available"

share_install
sfx="$$$RANDOM"
UA="wrx$sfx" UB="wry$sfx" GA="wrgx$sfx"
access_cleanup() {
  local u
  for u in "$UA" "$UB"; do id "$u" >/dev/null 2>&1 && userdel -r "$u" >/dev/null 2>&1; done
  getent group "$GA" >/dev/null && groupdel "$GA"
  cleanup
}
trap access_cleanup EXIT
: >"$T/all-stderr"
# run DESCRIPTION RC ARGS...: expect_rc that also keeps stderr, to look for SQLite's "not an error".
run() { expect_rc "$@"; printf '%s\n' "$ERR" >>"$T/all-stderr"; }

# --- another user's database, and a directory one cannot enter ------------------------------------------
groupadd "$GA" || skip "cannot add a group"
useradd -M -s /bin/bash -g "$GA" "$UA" || skip "cannot add a user"
useradd -M -s /bin/bash "$UB" || skip "cannot add a user"
BASE=$(mktemp -d "${TMPDIR:-/tmp}/wr-access.XXXXXX")
chmod 0755 "$BASE"
CLEANUP_EXTRA+=("$BASE")
as() { local u=$1; shift; runuser -u "$u" -- env -i HOME=/ PATH=/usr/bin:/bin WARROOM_DATA_DIR="$SHARED_DATA" \
  XDG_CONFIG_HOME=/nonexistent bash -c 'umask 022; exec "$@"' _ "$SHARED_BIN" "$@"; }
mkdir "$BASE/open"
chown "$UA:$GA" "$BASE/open"
chmod 2770 "$BASE/open"
run "UA inits" 0 as "$UA" --db "$BASE/open/war.db" init
chmod 2775 "$BASE/open"
check_eq "UA's database: 0660 of GA" "$(stat -c '%a %U %G' "$BASE/open/war.db")" "660 $UA $GA"
run "UB, not in GA, cannot read it" 6 as "$UB" --db "$BASE/open/war.db" list
check_contains "names the file, owner, group and mode" "$ERR" "$BASE/open/war.db (owner $UA, group $GA, mode 0660)"
check_contains "says why" "$ERR" "you ($UB) are not in its group $GA"
check_contains "says what to run" "$ERR" "usermod -a -G $GA $UB"
check_not_contains "no mount hint" "$ERR" "mounted?"
run "doctor as UB names it" 1 as "$UB" --db "$BASE/open/war.db" doctor
check_contains "doctor: the same words" "$OUT" "you ($UB) are not in its group $GA"

mkdir "$BASE/closed"
chown "$UA:$GA" "$BASE/closed"
chmod 0770 "$BASE/closed"
run "UA inits in a directory of its own" 0 as "$UA" --db "$BASE/closed/war.db" init
run "UB cannot enter the directory" 6 as "$UB" --db "$BASE/closed/war.db" list
check_contains "names the directory" "$ERR" "the directory $BASE/closed (owner $UA, group $GA, mode 0770)"
check_contains "cannot enter it" "$ERR" "so you cannot enter it"
check_not_contains "not 'missing'" "$ERR" "does not exist"
run "init there as UB" 6 as "$UB" --db "$BASE/closed/other.db" init
check_contains "init says the same" "$ERR" "so you cannot enter it"

if grep -q "not an error" "$T/all-stderr"; then fail "SQLite's 'not an error' reached a message: $(grep 'not an error' "$T/all-stderr")"; else ok; fi
finish
