#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Themes: the default one colours the screen; --theme, the config file's theme: and :theme pick others;
# a bad theme file's error shows as file:line:col in the status line and the built-in default is used;
# NO_COLOR (and a terminal without colour) gives attributes only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"

wr init >/dev/null
wr declare "Themes" >/dev/null

# colours FILE: the colour parameters (30-49, 90-107, 38;5;N, 48;5;N) of the SGR sequences in FILE.
colours() {
  LC_ALL=C grep -aoE $'\033\\[[0-9;]*m' "$1" | tr -d '\033[m' | tr ';' '\n' |
    awk '($1 >= 30 && $1 <= 49) || ($1 >= 90 && $1 <= 107) { n++ } END { print n + 0 }'
}
lacks() { ! grep -aqF -- "$2" "$1"; }
# start_captured NAME FILE ENV...: the console with env settings, its output from the first byte in FILE: the
# pane waits (tmux wait-for) until the capture is on before it starts the console; the help drawn after the
# first screen is waited for in FILE (capture_mark), so the whole first screen is in FILE.
start_captured() {
  local name=$1 file=$2
  shift 2
  : >"$file"
  tui_start "$name" 120 40 "tmux -L $TMUX_SOCK wait-for wr-go-$name && env $* $WR_BIN --db '$DB' $THEME_ARGS"
  TM pipe-pane -t "$name" -o "cat >> '$file'"
  TM wait-for -S "wr-go-$name"
  expect_screen "$name up" "$name" "─ Timeline "
  check "$name: captured through the help drawn after the first screen" capture_mark "$name" "$file"
}

THEME_ARGS=""
start_captured def "$T/def.out" X=1
check "default theme: colours" [ "$(colours "$T/def.out")" -gt 20 ]
check "default theme: 256-colour border" grep -aqF $'\033[38;5;244m' "$T/def.out"

start_captured nc "$T/nc.out" NO_COLOR=1
check_eq "NO_COLOR: no colour at all" "$(colours "$T/nc.out")" 0
check "NO_COLOR: attributes still (reverse, bold)" grep -aqE $'\033\\[0;1;7m|\033\\[0;7m' "$T/nc.out"

start_captured c8 "$T/c8.out" TERM=xterm
check "8 colours: no 256-colour sequence" lacks "$T/c8.out" $'\033[38;5;'
check "8 colours: still colours" [ "$(colours "$T/c8.out")" -gt 10 ]

THEME_ARGS="--theme high-contrast"
start_captured hc "$T/hc.out" X=1
check "--theme high-contrast: its header (bright yellow)" grep -aqF $'\033[103m' "$T/hc.out"
check "--theme high-contrast: not the default border" lacks "$T/hc.out" $'\033[38;5;244m'

mkdir -p "$T/themes"
printf 'name: broken\nelements:\n  header: {fg: red}\n  headr: {bg: blue}\n' >"$T/themes/broken.yaml"
THEME_ARGS="--theme $T/themes/broken.yaml"
start_captured bad "$T/bad.out" X=1
expect_screen "bad theme: file:line:col in the status line" bad "broken.yaml:4:3: unknown element 'headr' (did you"
check "bad theme: the built-in default is used" grep -aqF $'\033[38;5;244m' "$T/bad.out"

# :theme switches live; a wrong name says which exist.
keys bad ':'
keys_literal bad "theme light"
keys bad Enter
expect_screen ":theme light" bad "theme light"
keys bad ':'
keys_literal bad "theme lihgt"
keys bad Enter
expect_screen ":theme with a typo" bad 'no theme "lihgt" (did you mean light?)'
keys bad ':'
keys_literal bad "theme mo"
keys bad Tab
expect_screen "theme names complete" bad ":theme mono"
keys bad Enter
expect_screen ":theme mono" bad "theme mono"

# The config file's theme: applies when --theme is not given.
mkdir -p "$XDG_CONFIG_HOME/warroom"
printf 'theme: high-contrast\n' >"$XDG_CONFIG_HOME/warroom/config.yaml"
THEME_ARGS=""
start_captured cfg "$T/cfg.out" X=1
check "config theme: high-contrast" grep -aqF $'\033[103m' "$T/cfg.out"
finish
