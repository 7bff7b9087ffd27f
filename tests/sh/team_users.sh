#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A real team on one bastion: three Unix users in one group, each with the usual umask 022, a setgid shared
# directory. One inits; the others declare, assign, tick, note and update, from the command line and from
# consoles running as those users (runuser in tmux, and over loopback SSH: skipped where no test sshd can
# run). No permission error anywhere, every file group-writable, `doctor` ok for each of them. Then the journal is
# made 0644 by hand (what an older warroom left behind): doctor names it and says what to run, a write says
# which file and why (not "is a network mount gone?"), and its owner's next write puts it right.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"
[ "$(id -u)" = 0 ] || skip "needs root to create Unix users (CI runs as root)"
command -v useradd >/dev/null && command -v runuser >/dev/null || skip "useradd/runuser not available"
. "$(dirname "$0")/sshd_lib.sh"

share_install
sfx="$$$RANDOM"
G="wrg$sfx"
U1="wra$sfx" U2="wrb$sfx" U3="wrc$sfx"
team_cleanup() {
  tui_stop
  sshd_stop
  local u p
  for u in "$U1" "$U2" "$U3"; do
    for p in $(pgrep -u "$u" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done  # this run's own users, by pid
    id "$u" >/dev/null 2>&1 && userdel -r "$u" >/dev/null 2>&1
  done
  getent group "$G" >/dev/null && groupdel "$G"
  cleanup
}
trap team_cleanup EXIT
# u3's console runs over loopback SSH: where no test sshd can run the test is skipped, not run another way.
sshd_start || skip "no test sshd here (see above)"
groupadd "$G" || skip "cannot add a group"
for u in "$U1" "$U2" "$U3"; do
  useradd -m -s /bin/bash -G "$G" "$u" || skip "cannot add user $u"
done

# The shared room: a directory of the group, setgid, that the test's own (private) directory does not hold.
BASE=$(mktemp -d "${TMPDIR:-/tmp}/wr-team.XXXXXX")
chmod 0755 "$BASE"
CLEANUP_EXTRA+=("$BASE")
ROOM="$BASE/ir"
mkdir "$ROOM"
chgrp "$G" "$ROOM"
chmod 2770 "$ROOM"
DB="$ROOM/warroom.db"

# as USER ARGS...: warroom as that user, umask 022, a login-like environment of their own.
as() {
  local u=$1 home
  shift
  home=$(getent passwd "$u" | cut -d: -f6)
  runuser -u "$u" -- env -i HOME="$home" USER="$u" LOGNAME="$u" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" XDG_STATE_HOME="$home/.local/state" \
    WARROOM_DATA_DIR="$SHARED_DATA" bash -c 'umask 022; exec "$@"' _ "$SHARED_BIN" --db "$DB" "$@"
}
# team DESCRIPTION RC USER ARGS...: a step of the incident; every stderr is kept to look for permission errors.
team() {
  local what=$1 rc=$2
  shift 2
  expect_rc "$what" "$rc" as "$@"
  printf '%s\n' "$ERR" >>"$T/all-stderr"
}
mode_of() { stat -c '%a %G' "$1"; }

# --- the incident, from the command line -------------------------------------------------------------
team "u1 inits" 0 "$U1" init
check_eq "database: 0660, the room's group" "$(mode_of "$DB")" "660 $G"
check_eq "journal: 0660, the room's group" "$(mode_of "$DB-journal")" "660 $G"
team "u2 declares" 0 "$U2" declare --severity SEV2 --type credential-leak "Deploy key pushed to a public repo"
team "u2 takes command" 0 "$U2" assign IC "$U2"
team "u2 makes u3 a responder" 0 "$U2" assign responder "$U3"
team "u2 makes u1 the scribe" 0 "$U2" assign scribe "$U1"
team "u3 attaches the runbook" 0 "$U3" runbook attach leaked-cloud-credentials
team "u3 ticks a step" 0 "$U3" step identify-key-and-owner done
team "u1 notes" 0 "$U1" note "Key AKIA...42 found in github.com/acme/deploy at 08:52"
team "u2 raises the severity" 0 "$U2" severity SEV1 --expect SEV2 --reason "customer data reachable"
team "u1 writes the update" 0 "$U1" update --audience internal "Key disabled; scope unknown"
# Who may do what: u3 cannot end it or take command; the refusal names the commander.
team "u3 may not resolve" 14 "$U3" status resolved
check_contains "refusal names the commander" "$ERR" "Incident commander: $U2"
check_eq "every file still the group's" "$(stat -c '%a %G' "$DB" "$DB-journal" | sort -u)" "660 $G"

# --- consoles running as the users --------------------------------------------------------------------
# console NAME USER: the console as USER in a tmux pane (the tmux server is root's; the pane runs runuser).
console() {
  local home
  home=$(getent passwd "$2" | cut -d: -f6)
  tui_start "$1" 140 40 "runuser -u $2 -- env -i HOME=$home USER=$2 PATH=/usr/bin:/bin TERM=xterm-256color \
LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$home/.config XDG_STATE_HOME=$home/.local/state \
WARROOM_DATA_DIR=$SHARED_DATA bash -c 'umask 022; exec $SHARED_BIN --db $DB'"
}
console c1 "$U1"
# u3 over loopback SSH, with its own key installed for this test.
home3=$(getent passwd "$U3" | cut -d: -f6)
install -d -m 700 -o "$U3" -g "$U3" "$home3/.ssh"
install -m 600 -o "$U3" -g "$U3" "$SSH_KEY.pub" "$home3/.ssh/authorized_keys"
usermod -p '*' "$U3" # an unlocked account (sshd refuses locked ones); password logins stay off
tui_start c3 140 40 "ssh -tt ${SSH_OPTS[*]} $U3@127.0.0.1 'umask 022; WARROOM_DATA_DIR=$SHARED_DATA exec $SHARED_BIN --db $DB'"
expect_screen "u1's console opens the incident" c1 "Deploy key pushed to a public repo" 10
expect_screen "u3's console opens the incident (ssh)" c3 "Deploy key pushed to a public repo" 15
expect_screen "both in the room" c1 "In the room (2)" 10
expect_no_screen "u1's console is not read-only" c1 "READ-ONLY"
expect_no_screen "u3's console is not read-only" c3 "READ-ONLY"
# u1 notes from the console; u3 sees it live.
keys c1 n
keys_literal c1 "console note from u1: \"svc-backup2\" --recursive"
keys c1 Enter
expect_screen "u1's note lands" c1 "done: note on INC-1"
expect_screen "u3 sees it" c3 'console note from u1: "svc-backup2" --recursive'
# u3 ticks the selected step (the first one to do) with Space; u1 sees it.
first=$(sql "SELECT s.step FROM steps s JOIN attached a ON a.incident = s.incident AND a.runbook = s.runbook
             WHERE s.incident = 1 AND s.state = 'todo' ORDER BY s.phase_index, a.seq, s.ord LIMIT 1")
keys c3 Space
expect_screen "u3's tick lands" c3 "done: step $first done"
check_eq "ticked in the database by u3" "$(sql "SELECT updated_by || ':' || state FROM steps WHERE step = '$first'")" "$U3:done"
# u2 (the commander, command line) hands a role over while the consoles are open.
team "u2 assigns the deputy" 0 "$U2" assign deputy "$U1"
expect_screen "u3 sees the deputy" c3 "Deputy                  $U1"
for s in c1 c3; do
  if screen "$s" | grep -qiE 'permission|denied|read-only|network mount|I/O error'; then
    fail "a permission error on $s: $(screen "$s" | tail -2)"
  else ok; fi
done
check_eq "acts recorded as the Unix users" \
  "$(sql "SELECT group_concat(DISTINCT os_user) FROM (SELECT os_user FROM events ORDER BY os_user)")" \
  "$(printf '%s\n' "$U1" "$U2" "$U3" | sort | paste -sd,)"
if grep -qiE 'permission|denied|read-only|network mount|I/O error' "$T/all-stderr"; then
  fail "a permission error on the command line: $(grep -iE 'permission|denied|read-only|network mount|I/O error' "$T/all-stderr")"
else ok; fi
check_eq "files after the consoles" "$(stat -c '%a %G' "$DB" "$DB-journal" | sort -u)" "660 $G"
check_eq "presence: the side directory" "$(stat -c '%a %G' "$DB.presence")" "2770 $G"
check_eq "presence: the consoles' files" "$(stat -c '%a %G' "$DB.presence"/* | sort -u)" "660 $G"

# --- doctor, as each of them ------------------------------------------------------------------------------
for u in "$U1" "$U2" "$U3"; do
  team "doctor as $u" 0 "$u" doctor
  check_contains "doctor ok for $u" "$OUT" "verdict:      ok"
  check_contains "doctor: $u can write" "$OUT" "$u can read and write the database and its journal"
done

# --- the journal left 0644 by its owner (an older warroom, another umask) -------------------------------
owner=$(stat -c %U "$DB-journal")
chmod 0644 "$DB-journal"
other=$U2; [ "$owner" = "$U2" ] && other=$U3
team "doctor finds it" 1 "$other" doctor
check_contains "doctor names the journal" "$OUT" "the journal $DB-journal has mode 0644 (owner $owner)"
check_contains "doctor says what to run" "$OUT" "run \`chmod g+rw $DB-journal\` (as $owner or root)"
check_contains "doctor says it is this user's problem too" "$OUT" "$other cannot write the database"
expect_rc "a write names the file, not a network mount" 6 as "$other" note "after the chmod"
check_contains "the journal, its owner and mode" "$ERR" "$DB-journal (owner $owner, group $G, mode 0644)"
check_not_contains "no network-mount hint" "$ERR" "network mount"
# Its owner's next write gives the group its share back.
team "the owner writes" 0 "$owner" note "owner was here"
check_eq "journal fixed by its owner" "$(mode_of "$DB-journal")" "660 $G"
team "doctor ok again" 0 "$other" doctor
check_contains "verdict ok again" "$OUT" "verdict:      ok"
team "and the other writes" 0 "$other" note "after the fix"
# A console already open when the journal went 0644 is told the same, not "is a network mount gone?".
chmod 0644 "$DB-journal"
keys c3 n
keys_literal c3 "written while the journal is 0644"
keys c3 Enter
# The note is kept (not dropped) and the status line names the journal and its owner.
expect_screen "the open console names the journal" c3 "its journal $DB-journal (owner $owner"
expect_screen "the note is kept" c3 "1 pending: note on INC-1"
expect_no_screen "no network-mount hint in the console" c3 "network mount"
team "the owner writes again" 0 "$owner" note "owner again"
keys c3 n
keys_literal c3 "written after the fix"
keys c3 Enter
expect_screen "u3's console writes again" c3 "done: note on INC-1"
poll_eq() { # poll_eq DESCRIPTION EXPECTED SQL: the query comes to give EXPECTED within 10 s
  local i got
  for ((i = 0; i < 200; i++)); do got=$(sql "$3"); [ "$got" = "$2" ] && break; sleep 0.05; done
  check_eq "$1" "$got" "$2"
}
poll_eq "the kept note landed once" 1 "SELECT count(*) FROM events WHERE kind='note' AND json_extract(payload,'\$.text')='written while the journal is 0644'"
poll_eq "the later note landed once" 1 "SELECT count(*) FROM events WHERE kind='note' AND json_extract(payload,'\$.text')='written after the fix'"
keys c1 q
keys c3 q
expect_screen "u1's console quits" c1 "__EXIT=0"
expect_screen "u3's console quits" c3 "__EXIT=0"
check_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
finish
