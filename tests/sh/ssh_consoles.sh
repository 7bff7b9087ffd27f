#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two consoles over real SSH (a loopback sshd, `ssh -tt` with SendEnv LANG LC_*), the way operators use
# warroom on a bastion: each sees the other's acts within a second; resize and Escape pass through; dropping
# one SSH connection (killing the client) leaves no stuck process, no stale presence after the timeout, and no
# damage.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"
. "$(dirname "$0")/sshd_lib.sh"
sshd_start || skip "no test sshd here (see above)"
trap 'sshd_stop; tui_cleanup' EXIT

# A group-shared database the test user can write.
getent group wrteam >/dev/null || groupadd wrteam
usermod -a -G wrteam "$SSH_USER"
R="$T/room"; mkdir -p "$R"; chgrp wrteam "$R"; chmod 2770 "$R"
chmod o+x "$T"
DB="$R/war.db"
wr init >/dev/null
chgrp wrteam "$DB"
wr declare "Payments DB replica lag" --severity SEV2 >/dev/null
home=$(getent passwd "$SSH_USER" | cut -d: -f6)

# ssh_console NAME: the console as the test user over ssh -tt, in its own tmux session.
ssh_console() {
  tui_start "$1" 120 40 "ssh -tt ${SSH_OPTS[*]} $SSH_USER@127.0.0.1 'cd; WARROOM_DATA_DIR=$WR_SRC exec $WR_BIN --db $DB'"
}
ssh_console A
ssh_console B
expect_screen "A opened the incident over ssh" A "Payments DB replica lag" 10
expect_screen "B opened the incident over ssh" B "Payments DB replica lag" 10
expect_screen "A sees two in the room" A "2 here" 5

# An act on one console shows on the other within a second, without a key press there.
keys A ":"; keys_literal A "note replica 3 is 40 s behind"; 
t0=$(date +%s%N); keys A Enter
if wait_for B "replica 3 is 40 s behind" 1; then
  ok; echo "A -> B over ssh: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
else
  fail "B did not show A's note within a second: $(screen B)"
fi
keys B ":"; keys_literal B "assign scribe sam"; keys B Enter
expect_screen "B asks: sam is new here" B "sam is not a user of this host"
t0=$(date +%s%N); keys B y
if wait_for A "sam" 1; then ok; echo "B -> A over ssh: $(( ($(date +%s%N) - t0) / 1000000 )) ms"; else fail "A did not show B's assignment: $(screen A)"; fi
# A command-line write (a chat bot) shows on both.
wr note INC-1 "bot: replica lag alert resolved" >/dev/null
expect_screen "CLI write on A" A "bot: replica lag alert resolved" 1
expect_screen "CLI write on B" B "bot: replica lag alert resolved" 1
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
esc A
if wait_gone A ":note never sent" 1; then ok; else fail "Escape did not cancel the prompt over ssh"; fi
sleep 0.3
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
