#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The terminal the console runs in: one that cannot move the cursor (TERM=dumb, an editor's shell buffer) or
# that terminfo does not know is refused with a clear message, exit 2, nothing written, never a blank
# screen; `mouse: false` in the config leaves the mouse to the terminal (no mouse reporting is asked for),
# while by default the console asks for it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
wr declare "Terminals" >/dev/null
sum() { sha256sum <"$DB"; }
before=$(sum)

tui_start dumb 200 20 "env TERM=dumb $WR_BIN --db '$DB'"
expect_screen "TERM=dumb: refused" dumb 'cannot start the console: the terminal type "dumb" cannot move the cursor'
expect_screen "TERM=dumb: says what to do" dumb 'Run it in a full terminal (xterm, tmux, screen: TERM=xterm-256color)'
expect_screen "TERM=dumb: exit 2" dumb "__EXIT=2"
check_eq "TERM=dumb: the database untouched" "$(sum)" "$before"

# ncurses itself keeps 1624 bytes (new_prescr) when it cannot set up a terminal type it does not know, whether
# newterm or setupterm fails: LeakSanitizer (the ASan build) is told so for this one run.
printf 'leak:new_prescr\n' >"$T/lsan.supp"
tui_start unknown 200 20 "env TERM=no-such-terminal-$$ LSAN_OPTIONS=suppressions=$T/lsan.supp $WR_BIN --db '$DB'"
expect_screen "unknown terminal: refused" unknown "the terminal type \"no-such-terminal-$$\" is unknown here"
expect_screen "unknown terminal: exit 2" unknown "__EXIT=2"
check_eq "unknown terminal: the database untouched" "$(sum)" "$before"

# captured NAME FILE: the console's output from its first byte in FILE (tmux wait-for: the pipe is up first).
captured() {
  local name=$1 file=$2
  : >"$file"
  tui_start "$name" 100 30 "tmux -L '$TMUX_SOCK' wait-for go-$name; $WR_BIN --db '$DB'"
  TM pipe-pane -t "$name" -o "cat >> '$file'"
  TM wait-for -S "go-$name"
  expect_screen "$name: the console is up" "$name" "Terminals"
  keys "$name" q
  expect_screen "$name: quits" "$name" "__EXIT=0"
}
captured mouse_on "$T/on.out"
check "by default the console asks for mouse reports" grep -aqF $'\033[?1000h' "$T/on.out"

mkdir -p "$XDG_CONFIG_HOME/warroom"
printf '# the terminal keeps the mouse\nmouse: false\n' >"$XDG_CONFIG_HOME/warroom/config.yaml"
captured mouse_off "$T/off.out"
check "mouse: false: no mouse reports asked for" bash -c "! grep -aqE $'\033\\\\[\\\\?100[0-6]h' '$T/off.out'"
check "mouse: false: the console still draws" grep -aqF "Terminals" "$T/off.out"

printf 'mouse: sometimes\n' >"$XDG_CONFIG_HOME/warroom/config.yaml"
expect_rc "mouse: not a boolean is an error" 2 wr show
check_contains "with file:line:column" "$ERR" "config.yaml:1:8"
finish
