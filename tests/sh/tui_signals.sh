#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The terminal is always given back: after q, Ctrl-C, SIGTERM and SIGHUP the shell's prompt returns on the
# normal screen with the terminal modes sane (stty: icanon echo ...). Ctrl-C at the : prompt only drops the
# line; Ctrl-Z suspends and fg resumes; a dropped connection (the pty closed) ends the console quietly, and
# the console leaves the room on the way out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
wr declare "Signals" >/dev/null
tui_start sh 100 30 "env PS1='SH\$ ' HISTFILE=/dev/null bash --norc --noprofile -i"
expect_screen "shell" sh 'SH$'

# run_console: start the console from the shell and wait for it: its screen drawn and its presence in the
# room written (it has finished starting up and runs its loop).
run_console() {
  local i
  keys sh "clear; $WR_BIN --db '$DB'; echo rc=\$?" Enter
  expect_screen "console up ($1)" sh "─ Timeline "
  wait_present 1 10
  check_eq "in the room ($1)" "$(present)" 1
}
# sane DESCRIPTION RC: the prompt is back, the alternate screen is off and stty shows canonical mode.
sane() {
  expect_screen "$1: exit status" sh "rc=$2"
  check_eq "$1: normal screen" "$(TM display-message -p -t sh '#{alternate_on}')" 0
  keys sh "stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo|isig|icrnl|opost)' | sort | tr '\\n' ' '; echo" Enter
  expect_screen "$1: stty sane" sh "echo icanon icrnl isig opost"
  check_not_contains "$1: nothing raw" "$(screen sh)" "-icanon"
  keys sh "clear" Enter
  wait_gone sh "echo icanon icrnl isig opost" && ok || fail "$1: the shell did not clear the screen"
}

run_console q
keys sh q
sane "q" 0

run_console C-c
keys sh C-c
sane "Ctrl-C" 0

run_console SIGTERM
pid=$(pgrep -f "^$WR_BIN --db $DB\$" | head -1)
check "console pid" [ -n "$pid" ]
kill -TERM "$pid"
sane "SIGTERM" 143

run_console SIGHUP
pid=$(pgrep -f "^$WR_BIN --db $DB\$" | head -1)
check "console pid" [ -n "$pid" ]
kill -HUP "$pid"
sane "SIGHUP" 129
check_eq "left the room" "$(present)" 0
check_not_contains "SIGHUP is quiet" "$(screen sh)" "warroom:"

# Ctrl-C at the : prompt drops the line and keeps the console.
run_console prompt-C-c
keys sh ':'
keys_literal sh "note never sent"
expect_screen "typing" sh ":note never sent"
keys sh C-c
wait_gone sh ":note never sent" 2 && ok || fail "Ctrl-C did not drop the line"
expect_no_screen "console still up" sh "rc="
check_eq "nothing written" "$(sql "SELECT count(*) FROM events WHERE kind = 'note'")" 0

# Ctrl-Z suspends (terminal back to the shell), fg resumes and repaints. (The shell prints rc=147 for
# the stopped job at once.)
keys sh C-z
expect_screen "suspended" sh "Stopped"
check_eq "suspended: normal screen" "$(TM display-message -p -t sh '#{alternate_on}')" 0
keys sh "clear; fg" Enter
expect_screen "resumed" sh "─ Checklist "
check_eq "resumed: alternate screen" "$(TM display-message -p -t sh '#{alternate_on}')" 1
keys sh q
wait_gone sh "─ Checklist " && ok || fail "q after resume"
keys sh "echo rc=done" Enter
sane "after suspend" done

# A dropped connection: the terminal itself goes away. The console must end (not spin) and leave the room.
tui_console drop 100 30
expect_screen "console up (drop)" drop "─ Timeline "
pid=$(tui_pid drop)
check "drop pid" [ -n "$pid" ]
TM kill-session -t drop
gone=no
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || { gone=yes; break; }
  sleep 0.05
done
check_eq "console ended with its terminal" "$gone" yes
check_eq "dropped console left the room" "$(present)" 0
finish
