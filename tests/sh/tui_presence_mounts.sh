#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Presence across "hosts" sharing a mount (issue 13): two sshfs mounts of one share served by a loopback sshd
# stand for two hosts (inotify on one mount never sees what is done through the other). A console on each
# mount sees the other arrive; the one on mount 2 killed with SIGKILL leaves the room of the one on mount 1
# within the timeout plus the network read interval (docs/console.md: presence read every 5 s on a network
# mount); `who` on mount 1 agrees. The timeout is shortened to 3 s (WARROOM_PRESENCE_TIMEOUT_MS).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd_lib.sh"

command -v sshfs >/dev/null || skip "sshfs is not installed"
command -v tmux >/dev/null || skip "tmux is not installed"
sshd_start || skip "no test sshd here (see above)"
. "$(dirname "$0")/tui_lib.bash"
trap 'tui_stop; fusermount -u "$T/m1" 2>/dev/null; fusermount -u "$T/m2" 2>/dev/null; sshd_stop; cleanup' EXIT

home=$(getent passwd "$SSH_USER" | cut -d: -f6)
share="$home/share-$$"
install -d -m 2770 -o "$SSH_USER" "$share"
sshfs_mount "$share" "$T/m1" || skip "sshfs mount failed (no FUSE?)"
sshfs_mount "$share" "$T/m2" || skip "a second sshfs mount failed"
D1="$T/m1/war.db" D2="$T/m2/war.db"
printf 'single_host: true\n' >"$T/one-host.yaml"
expect_rc "init on the share" 0 "$WR_BIN" --config "$T/one-host.yaml" --db "$D1" init
expect_rc "declare" 0 "$WR_BIN" --config "$T/one-host.yaml" --db "$D1" declare "Across mounts"

con() { # con NAME DB
  tui_start "$1" 120 40 "env WARROOM_PRESENCE_TIMEOUT_MS=3000 $WR_BIN --config '$T/one-host.yaml' --db '$2'"
}
who_on() { "$WR_BIN" --config "$T/one-host.yaml" --db "$1" who --json |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["sessions"]))'; }
wait_who() { # wait_who DB N SECONDS
  local i
  for ((i = 0; i < $3 * 20; i++)); do
    [ "$(who_on "$1")" = "$2" ] && return 0
    sleep 0.05
  done
  return 1
}

con a "$D1"
expect_screen "a up (mount 1)" a "─ Timeline " 15
con b "$D2"
expect_screen "b up (mount 2)" b "─ Timeline " 15
check "both in the room, seen through mount 1" wait_who "$D1" 2 15
expect_screen "a (mount 1) sees b arrive through the other mount" a "In the room (2)" 15
expect_screen "b (mount 2) sees a" b "In the room (2)" 15

bpid=$(tui_pid b)
check "b's pid" [ -n "$bpid" ]
killed_at=$(date +%s%N)
kill -KILL "$bpid"
expect_screen "a sees the killed console on the other mount leave" a "In the room (1)" 15
left_ms=$(( ($(date +%s%N) - killed_at) / 1000000 ))
# Due 3 s after b's last beat; a reads who is here every 5 s on a network mount; tmux's polling adds to it.
check "left within timeout + one network read (${left_ms} ms)" [ "$left_ms" -lt 10000 ]
check_eq "who through mount 1 agrees" "$(who_on "$D1")" 1
check "a, beating through mount 1, is seen through mount 2" [ "$(who_on "$D2")" = 1 ]
keys a q
check "a's quit leaves an empty room" wait_who "$D2" 0 10
finish
