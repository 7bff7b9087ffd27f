#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Terminal-escape injection: a note (and an incident title) full of escape sequences, C1 controls, bidi
# overrides and invalid UTF-8, written with the CLI, reaches the operator's terminal only as harmless
# markers. The program's raw output bytes are captured (tmux pipe-pane) and searched for the note's own
# sequences. First, on a run with a plain note, check the assumption that curses itself never sends them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

ESC=$'\033'
HOSTILE="evil${ESC}[2J${ESC}]0;pwned${ESC}\\ title${ESC}]2;pwned2"$'\a'" dcs${ESC}P1;2|deadbeef${ESC}\\ c1"$'\xc2\x9b'"31m bidi"$'\xe2\x80\xae'"txet bad"$'\xff\xfe'" over"$'\xc0\xaf'"long zero"$'\xe2\x80\x8b'"width end"

# has FILE BYTES: 0 if FILE contains the byte string BYTES.
has() { LC_ALL=C grep -qF -- "$2" "$1"; }
hasnt() { ! has "$@"; }

# run_capture NAME FILE TEXT COMMAND...: capture NAME's output into FILE from now on, run COMMAND, wait for
# TEXT on the screen, then for the help drawn after it in FILE (capture_mark: all the drawing for TEXT is in
# FILE by then).
run_capture() {
  local name=$1 file=$2 wait=$3
  shift 3
  : >"$file"
  TM pipe-pane -t "$name" -o "cat >> '$file'"
  "$@" >/dev/null
  expect_screen "$wait arrived" "$name" "$wait"
  check "the capture ran on to the help drawn after [$wait]" capture_mark "$name" "$file"
  TM pipe-pane -t "$name"
}

wr init >/dev/null
wr declare "Plain incident" >/dev/null
tui_console a 120 40
expect_screen "console open" a "Plain incident"

# 1. The assumption, on a harmless note: curses draws with CSI sequences but no OSC, DCS, C1 CSI,
#    no bidi override and no clear-screen.
run_capture a "$T/plain.out" "a harmless note" wr note INC-1 "a harmless note"
check "plain run produced output" [ -s "$T/plain.out" ]
check "curses uses CSI (sanity)" has "$T/plain.out" "${ESC}["
check "plain: no OSC" hasnt "$T/plain.out" "${ESC}]"
check "plain: no DCS" hasnt "$T/plain.out" "${ESC}P"
check "plain: no C1 CSI" hasnt "$T/plain.out" $'\xc2\x9b'
check "plain: no RLO" hasnt "$T/plain.out" $'\xe2\x80\xae'
check "plain: no clear screen" hasnt "$T/plain.out" "${ESC}[2J"

# 2. The hostile note.
run_capture a "$T/evil.out" "txet bad" wr note INC-1 "$HOSTILE"
check "hostile run produced output" [ -s "$T/evil.out" ]
check "no OSC reached the terminal" hasnt "$T/evil.out" "${ESC}]"
check "no window title set" hasnt "$T/evil.out" "pwned"
check "no DCS reached the terminal" hasnt "$T/evil.out" "${ESC}P"
check "no DCS payload" hasnt "$T/evil.out" "deadbeef"
check "no C1 CSI reached the terminal" hasnt "$T/evil.out" $'\xc2\x9b'
check "no bidi override reached the terminal" hasnt "$T/evil.out" $'\xe2\x80\xae'
check "no clear screen reached the terminal" hasnt "$T/evil.out" "${ESC}[2J"
check "no invalid UTF-8 reached the terminal" hasnt "$T/evil.out" $'\xff'
check "no BEL reached the terminal" hasnt "$T/evil.out" $'\a'
check "no overlong UTF-8 reached the terminal" hasnt "$T/evil.out" $'\xc0\xaf'
check "no zero-width space reached the terminal" hasnt "$T/evil.out" $'\xe2\x80\x8b'
check "the escape marker was drawn" has "$T/evil.out" $'\xe2\x90\x9b'
s=$(screen a)
check_contains "marker on screen" "$s" "evil␛"
check_contains "text after the sequences survives" "$s" " title"
check_contains "invalid UTF-8 as replacement characters" "$s" "bad�� over�long zerowidth end"
check_not_contains "pane title untouched" "$(TM display-message -p -t a '#{pane_title}')" "pwned"
check_contains "the rest of the screen intact" "$s" "─ Checklist "

# 3. A hostile incident title: the header and the incident pane too.
run_capture a "$T/title.out" "INC-1  SEV3  triage" wr set INC-1 title "$HOSTILE"
expect_screen "title changed" a "evil␛"
check "title: no OSC" hasnt "$T/title.out" "${ESC}]"
check "title: no DCS" hasnt "$T/title.out" "${ESC}P"
check "title: no C1" hasnt "$T/title.out" $'\xc2\x9b'
check "title: no RLO" hasnt "$T/title.out" $'\xe2\x80\xae'
check "title: no clear" hasnt "$T/title.out" "${ESC}[2J"
check "header keeps its layout: the clock stays at the right edge" \
  grep -qE 'UTC *$' <<<"$(screen a | head -1)"
keys a q
expect_screen "quit" a "__EXIT=0"
finish
