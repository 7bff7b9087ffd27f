#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two consoles over real SSH (a loopback sshd, `ssh -tt` with SendEnv LANG LC_*), the way operators use
# warroom on a bastion: each sees the other's acts with no key pressed there; resize and Escape pass through;
# dropping one SSH connection (killing the client) leaves no stuck process, no stale presence after the
# timeout, and no damage. The test user runs a copy of the binary (share_install): the checkout may be
# private. (How fast an act reaches another console is measured by bench/, not asserted here.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"
. "$(dirname "$0")/sshd_lib.sh"
GRP="wrt$$$RANDOM"   # this run's own group, removed at the end
trap 'tui_stop; sshd_stop; getent group "$GRP" >/dev/null && groupdel "$GRP"; cleanup' EXIT
sshd_start || skip "no test sshd here (see above)"
share_install

# A group-shared database the test user can write.
groupadd "$GRP" || skip "cannot add a group"
usermod -a -G "$GRP" "$SSH_USER"
R="$T/room"; mkdir -p "$R"; chgrp "$GRP" "$R"; chmod 2770 "$R"
chmod o+x "$T"
DB="$R/war.db"
wr init >/dev/null
chgrp "$GRP" "$DB"
wr declare "Payments DB replica lag" --severity SEV2 >/dev/null
home=$(getent passwd "$SSH_USER" | cut -d: -f6)

# ssh_console NAME: the console as the test user over ssh -tt, in its own tmux session.
ssh_console() {
  tui_start "$1" 120 40 "ssh -tt ${SSH_OPTS[*]} $SSH_USER@127.0.0.1 'cd; WARROOM_DATA_DIR=$SHARED_DATA exec $SHARED_BIN --db $DB'"
}
ssh_console A
ssh_console B
expect_screen "A opened the incident over ssh" A "Payments DB replica lag" 10
expect_screen "B opened the incident over ssh" B "Payments DB replica lag" 10
expect_screen "A sees two in the room" A "2 here" 5

# An act on one console shows on the other without a key press there.
keys A ":"; keys_literal A "note replica 3 is 40 s behind"; keys A Enter
expect_screen "B shows A's note" B "replica 3 is 40 s behind" 10
keys B ":"; keys_literal B "assign scribe sam"; keys B Enter
expect_screen "B asks: sam is new here" B "sam is not a user of this host"
keys B y
expect_screen "A shows B's assignment" A "Scribe                  sam" 10
# A command-line write (a chat bot) shows on both.
wr note INC-1 "bot: replica lag alert resolved" >/dev/null
expect_screen "CLI write on A" A "bot: replica lag alert resolved" 10
expect_screen "CLI write on B" B "bot: replica lag alert resolved" 10
check_eq "acts recorded as the ssh user" "$(sql "SELECT os_user FROM events WHERE payload LIKE '%replica 3%'")" "$SSH_USER"
check_contains "origin is the ssh client" "$(sql "SELECT origin FROM events WHERE payload LIKE '%replica 3%'")" "ssh 127.0.0.1"

# Resize passes through ssh: 80x24 still draws, 60x20 says too small, and back.
TM resize-window -t A -x 80 -y 24
expect_screen "80x24 over ssh" A "Payments DB replica lag" 3
expect_no_screen "80x24 is not too small" A "too small"
TM resize-window -t A -x 60 -y 20
expect_screen "too small over ssh" A "too small" 3
TM resize-window -t A -x 120 -y 40
expect_screen "back to 120x40" A "Payments DB replica lag" 3

# Escape passes through and cancels the prompt at once.
keys A ":"; keys_literal A "note never sent"
expect_screen "prompt shows the text" A ":note never sent" 2
esc A ":note never sent"
# The console takes keys in order: once a note typed after the Esc has landed, the cancelled one would have too.
keys A ":"; keys_literal A "note after the cancel"; keys A Enter
for ((i = 0; i < 200; i++)); do [ "$(sql "SELECT count(*) FROM events WHERE payload LIKE '%after the cancel%'")" = 1 ] && break; sleep 0.05; done
check_eq "the note after the cancel landed" "$(sql "SELECT count(*) FROM events WHERE payload LIKE '%after the cancel%'")" 1
check_eq "nothing written by the cancelled prompt" "$(sql "SELECT count(*) FROM events WHERE payload LIKE '%never sent%'")" 0

# Drop B's connection: kill the ssh client. Its warroom must go, and its presence with it.
b_shell=$(TM display-message -p -t B '#{pane_pid}')
b_ssh=$(pgrep -P "$b_shell" -x ssh | head -1)
check "found B's ssh client" [ -n "$b_ssh" ]
kill -9 "$b_ssh"
gone=0
for _ in $(seq 1 100); do
  [ "$(pgrep -u "$SSH_USER" -x warroom | wc -l)" -le 1 ] && { gone=1; break; }
  sleep 0.1
done
check_eq "B's warroom ended with its connection" "$gone" 1
here=0
for _ in $(seq 1 120); do
  here=$(wr who INC-1 2>/dev/null | grep -c "ssh 127.0.0.1")
  [ "$here" = 1 ] && break
  sleep 0.5
done
check_eq "B no longer in the room" "$here" 1
expect_screen "A sees one in the room" A "1 here" 5
check_eq "integrity after the drop" "$(sql "PRAGMA integrity_check")" ok
# A still works.
keys A ":"; keys_literal A "note still here"; keys A Enter
expect_screen "A still writes" A "still here" 3
keys A q
expect_screen "A quits cleanly" A "__EXIT=0" 5
check_eq "no warroom left for the ssh user" "$(pgrep -u "$SSH_USER" -x warroom | wc -l)" 0
finish
