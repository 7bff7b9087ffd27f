#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Widths on a real terminal: a title and a note with characters of every width class (wide, combining,
# private use, glibc's own wide hexagrams) and code points Unicode 14.0.0 leaves unassigned (a reserved
# one, an emoji of Unicode 15.0). The unassigned ones show as U+FFFD, one column (curses would have drawn a
# blank); the rest show as themselves; every line of the screen is exactly as wide as the terminal, so no
# pane border moved.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

U0378=$'\xcd\xb8'         # reserved (Greek block)
U1FAE8=$'\xf0\x9f\xab\xa8' # SHAKING FACE, Unicode 15.0
UD7C7=$'\xed\x9f\x87'     # reserved (between Hangul jamo)
FFFD=$'\xef\xbf\xbd'
NIHON=$'\xe6\x97\xa5\xe6\x9c\xac'
EACUTE=$'e\xcc\x81'        # e + COMBINING ACUTE ACCENT
FIRE=$'\xf0\x9f\x94\xa5'
PUA=$'\xee\x80\x80'
HEXA=$'\xe4\xb7\x80'       # U+4DC0, ambiguous in Unicode, wide in glibc

wr init >/dev/null
wr declare "Width ab${U0378}cd" >/dev/null
wr note INC-1 "<ab${U0378}${U1FAE8}cd${UD7C7}> wide<${NIHON}> mark<${EACUTE}> emoji<${FIRE}> pua<${PUA}> hexa<${HEXA}> end" >/dev/null
COLS=120
tui_console a $COLS 40
expect_screen "the note is drawn" a "> end"

s=$(screen a)
check_contains "unassigned code points show as U+FFFD, one each" "$s" "<ab${FFFD}${FFFD}cd${FFFD}>"
check_contains "the other classes show as themselves" "$s" \
  "wide<${NIHON}> mark<${EACUTE}> emoji<${FIRE}> pua<${PUA}> hexa<${HEXA}> end"
check_contains "the title too" "$s" "Width ab${FFFD}cd"
check_not_contains "no unassigned code point reached the screen" "$s" "$U0378"
check_not_contains "not even the newer emoji" "$s" "$U1FAE8"

# Every line (trailing blanks kept) is exactly as wide as the terminal, measured with the C library's widths
# (wc -L): a width counted wrong would push the pane's right border in or out on the note's line.
bad=0 n=0
while IFS= read -r line; do
  n=$((n + 1))
  w=$(printf '%s\n' "$line" | LC_ALL=C.UTF-8 wc -L)
  [ "$w" = $COLS ] || { bad=$((bad + 1)); echo "line $n is $w columns: [$line]" >&2; }
done < <(TM capture-pane -p -N -t a)
check_eq "lines captured" "$n" 40
check_eq "lines not $COLS columns wide" "$bad" 0
note_line=$(TM capture-pane -p -N -t a | grep -F "> end")
check_eq "the note's line ends at the pane's right border" "${note_line: -1}" "│"
check "the header keeps the clock at the right edge" grep -qE 'UTC *$' <<<"$(screen a | head -1)"

keys a q
expect_screen "quit" a "__EXIT=0"
finish
