#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `warroom run` in a real terminal (tmux): the command gets a pseudo-terminal of its own (it sees a terminal,
# of the terminal's size, and a new size when the window changes), what is typed reaches it, and Ctrl-C
# reaches it and not warroom: the command dies of SIGINT, warroom outlives it, records the signal and exits
# 130 like a shell; the terminal is given back in its own mode (echo on again).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"
command -v sqlite3 >/dev/null || skip "the sqlite3 program is not installed"

wr init >/dev/null
wr declare "Terminal" >/dev/null
cat >"$T/child.sh" <<'SH'
test -t 0 && test -t 1 && echo "TTY-YES"
echo "size $(stty size)"
echo "ready-1"
read line
echo "got:$line"
echo "size $(stty size)"
echo "ready-2"
cat
SH
tui_start run 100 30 "$WR_BIN --db '$DB' run -- sh '$T/child.sh'; r=\$?; echo \"echo-state:\$(stty -a | grep -o ' -\\?echo ' | head -1)\"; (exit \$r)"
expect_screen "the command sees a terminal" run "TTY-YES"
expect_screen "of the window's size" run "size 30 100"
expect_screen "it waits for input" run "ready-1"
TM resize-window -t run -x 90 -y 25 2>/dev/null || TM resize-pane -t run -x 90 -y 25
keys_literal run "typed text"
keys run Enter
expect_screen "what is typed reaches it" run "got:typed text"
expect_screen "the new size reaches it" run "size 25 90"
expect_screen "then it reads again" run "ready-2"
keys run C-c
expect_screen "warroom outlives it and says so" run "(status 130)" 10
expect_screen "exits 130" run "__EXIT=130"
expect_screen "the terminal's echo is back on" run "echo-state: echo"
S=$(sqlite3 "$DB" "SELECT max(seq) FROM events")
check_eq "recorded: SIGINT, 130, on a terminal" \
  "$(sqlite3 "$DB" "SELECT json_extract(payload, '\$.signal'), json_extract(payload, '\$.signal_name'), json_extract(payload, '\$.status'), json_extract(payload, '\$.tty') FROM events WHERE seq = $S")" \
  "2|SIGINT|130|1"
check_contains "its output kept" "$(wr evidence "$S")" "got:typed text"
check_contains "the sizes kept" "$(wr evidence "$S")" "size 25 90"
check_contains "tail says so" "$(wr tail -n 1)" "killed by SIGINT (signal 2)"
expect_rc "verifies" 0 wr verify

# The console: Enter on the command's timeline entry shows the entry and its evidence (the output) in the pager.
wr note "after the command" >/dev/null
tui_console con 120 35
expect_screen "console up" con "─ Timeline "
focused() { # poll up to a second for the timeline's frame to show the selected entry's number (it has focus)
  local j
  for ((j = 0; j < 20; j++)); do screen con | grep -qE "Timeline.*#[0-9]" && return 0; sleep 0.05; done
  return 1
}
for ((i = 0; i < 6; i++)); do focused && break; keys con Tab; done
keys con End Up Enter
expect_screen "the pager shows the entry" con "Timeline entry #"
expect_screen "and the command's output" con "got:typed text"
expect_screen "and how it ended" con "SIGINT"
esc con "got:typed text"
finish
