# SPDX-License-Identifier: MIT
# tui_lib.bash - drive the console in a private tmux server. Source it after lib.sh:
#   . "$(dirname "$0")/lib.sh"; . "$(dirname "$0")/tui_lib.bash"
# (Not named *.sh: CMake turns every tests/sh/*.sh into a test.)
command -v tmux >/dev/null || skip "tmux is not installed"
TMUX_SOCK="wr$$"
TM() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
unset TMUX
# tui_tree PID...: the pids and all their descendants.
tui_tree() { local p c; for p in "$@"; do echo "$p"; for c in $(pgrep -P "$p"); do tui_tree "$c"; done; done; }
# tui_alive PID: 0 while the process exists and is not a zombie.
tui_alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]; }
# tui_stop: end the tmux server and wait (by pid, with a deadline) until every process that ran in a pane has
# exited: consoles write their history as they end, so the test directory may go only after that.
tui_stop() {
  local pids p i
  pids=$(tui_tree $(TM list-panes -a -F '#{pane_pid}' 2>/dev/null))
  TM kill-server 2>/dev/null
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TMUX_SOCK"
  for p in $pids; do
    for ((i = 0; i < 200; i++)); do tui_alive "$p" || break; sleep 0.05; done
  done
}
tui_cleanup() { tui_stop; cleanup; }
trap tui_cleanup EXIT
# A first session starts the server; then no status bar, so a session of ROWS lines gives the program ROWS.
TM new-session -d -s boot "sleep 600"
TM set-option -g status off

# tui_start NAME COLS ROWS COMMAND...: a session running COMMAND (a shell command line) in a UTF-8,
# 256-colour terminal with the test's private HOME; when it ends the pane stays with "__EXIT=N".
tui_start() {
  local name=$1 cols=$2 rows=$3
  shift 3
  TM new-session -d -s "$name" -x "$cols" -y "$rows" \
    -e TERM=xterm-256color -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e HOME="$HOME" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
    -e XDG_DATA_HOME="$XDG_DATA_HOME" -e XDG_STATE_HOME="$XDG_STATE_HOME" -e WARROOM_DATA_DIR="$WARROOM_DATA_DIR" \
    "$* ; echo __EXIT=\$?; sleep 600"
}

# tui_console NAME COLS ROWS [ARGS...]: the console on the test database. On PostgreSQL each console keeps its
# own cache ($T/cache.NAME), as on a host of its own.
tui_console() {
  local name=$1 cols=$2 rows=$3 env=""
  shift 3
  [ "${WR_BACKEND:-sqlite}" = postgres ] && env="WARROOM_CACHE_DIR='$T/cache.$name' "
  tui_start "$name" "$cols" "$rows" "$env$WR_BIN --db '$DB' $*"
}

# esc NAME GONE [SECONDS]: Esc alone, as a check that it closes what shows GONE. Returns once GONE has left the
# screen: the console has taken the Esc, so the next key cannot be read with it as one Alt-key.
esc() {
  TM send-keys -t "$1" Escape
  if wait_gone "$1" "$2" "${3:-5}"; then ok; else fail "Esc did not close [$2]; the screen:
$(screen "$1")"; fi
}
# sql QUERY: read the test database, waiting for writers.
sql() { sqlite3 -cmd ".timeout 5000" "$DB" "$@"; }
# wait_sql DESCRIPTION QUERY WANT [SECONDS]: poll the database until QUERY gives WANT (a deadline, default
# 10 s): for what a key press writes, which the screen may show before it is written (the `:` line).
wait_sql() {
  local end=$(( $(date +%s) + ${4:-10} )) got
  while :; do
    got=$(sql "$2")
    [ "$got" = "$3" ] && { ok; return 0; }
    [ "$(date +%s)" -ge "$end" ] && { fail "$1: got [$got], expected [$3]"; return 1; }
    sleep 0.05
  done
}
# present [INC-N]: how many consoles are in the room (all, or on one incident), from `warroom who --json`.
present() { wr who --json "$@" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["sessions"]))'; }
# wait_present N [SECONDS] [INC-N]: poll until exactly N consoles are in the room (default 5 s); 0 if so.
wait_present() {
  local want=$1 secs=${2:-5} i
  shift 2 2>/dev/null || shift $#
  for ((i = 0; i < secs * 20; i++)); do
    [ "$(present "$@")" = "$want" ] && return 0
    sleep 0.05
  done
  return 1
}
screen() { TM capture-pane -p -t "$1"; }
keys() { local s=$1; shift; TM send-keys -t "$s" "$@"; }
# keys_literal NAME TEXT: type TEXT as is (no key-name lookup).
keys_literal() { TM send-keys -t "$1" -l -- "$2"; }

# wait_for NAME TEXT [SECONDS]: poll the screen until it shows TEXT (default 5 s); 0 if it did.
wait_for() {
  local s=$1 text=$2 secs=${3:-5} i
  [ -n "$text" ] || { echo "wait_for: an empty text is on every screen" >&2; return 1; }
  for ((i = 0; i < secs * 20; i++)); do
    screen "$s" | grep -qF -- "$text" && return 0
    sleep 0.05
  done
  return 1
}
# wait_gone NAME TEXT [SECONDS]
wait_gone() {
  local s=$1 text=$2 secs=${3:-5} i
  [ -n "$text" ] || { echo "wait_gone: an empty text is never gone" >&2; return 1; }
  for ((i = 0; i < secs * 20; i++)); do
    screen "$s" | grep -qF -- "$text" || return 0
    sleep 0.05
  done
  return 1
}
# expect_screen DESCRIPTION NAME TEXT [SECONDS]: a check that the screen comes to show TEXT.
expect_screen() {
  if wait_for "$2" "$3" "${4:-5}"; then ok; else fail "$1: [$3] never showed; the screen:
$(screen "$2")"; fi
}
expect_no_screen() {
  if screen "$2" | grep -qF -- "$3"; then fail "$1: [$3] is on the screen:
$(screen "$2")"; else ok; fi
}
# capture_mark NAME FILE: NAME's output is being piped (tmux pipe-pane) into FILE. Opens the help and waits
# for its title in FILE itself, then closes it; 0 if the title arrived. Bytes reach FILE in the order the
# console wrote them, so everything drawn before the help is in FILE by then (a handshake, not a sleep).
capture_mark() {
  local i
  keys "$1" '?'
  for ((i = 0; i < 200; i++)); do LC_ALL=C grep -aqF " Help " "$2" && break; sleep 0.05; done
  keys "$1" q
  wait_gone "$1" "─ Help " && LC_ALL=C grep -aqF " Help " "$2"
}
# The console's pid in session NAME (the pane's child).
tui_pid() {
  local shell
  shell=$(TM display-message -p -t "$1" '#{pane_pid}')
  pgrep -P "$shell" -x warroom | head -1
}
