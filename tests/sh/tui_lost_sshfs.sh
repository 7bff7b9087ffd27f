#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The console's database on sshfs (single_host: true), and the sshfs process dies: the banner says the
# database is lost, notes typed meanwhile are kept; the share is mounted again (a new mount: another device
# behind the same path) and the console opens it again by itself; every note lands exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"
. "$(dirname "$0")/sshd_lib.sh"
command -v sshfs >/dev/null || skip "sshfs is not installed"
sshd_start || skip "no test sshd here (see above)"
trap 'tui_stop; fusermount -u -z "$T/m" 2>/dev/null; [ -n "${fs_pid:-}" ] && kill "$fs_pid" 2>/dev/null; sshd_stop; cleanup' EXIT

home=$(getent passwd "$SSH_USER" | cut -d: -f6)
share="$home/share-$$"
install -d -m 2770 -o "$SSH_USER" "$share"
# mount_share: sshfs in the foreground (so its pid is ours to kill), waited for until the mount is there.
mount_share() {
  mkdir -p "$T/m"
  sshfs -f -p "$SSH_PORT" "$SSH_USER@127.0.0.1:$share" "$T/m" \
    -o IdentityFile="$SSH_KEY",StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,LogLevel=ERROR \
    -o ServerAliveInterval=5,dir_cache=no,BatchMode=yes 2>>"$T/sshfs.log" &
  fs_pid=$!
  local i
  for ((i = 0; i < 100; i++)); do
    mountpoint -q "$T/m" && return 0
    kill -0 "$fs_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
mount_share || skip "sshfs mount failed (no FUSE?): $(cat "$T/sshfs.log")"
printf 'single_host: true\n' >"$T/one-host.yaml"
DB="$T/m/war.db"
wr --config "$T/one-host.yaml" init >/dev/null
wr --config "$T/one-host.yaml" declare "Lost over sshfs" >/dev/null
server_db="$share/war.db"   # the same file, seen on the server's side
notes() { sqlite3 "file:$server_db?mode=ro" "SELECT count(*) FROM events WHERE kind='note' AND json_extract(payload,'\$.text') LIKE '$1%'" 2>/dev/null; }

tui_start s 140 40 "$WR_BIN --config '$T/one-host.yaml' --db '$DB'"
expect_screen "console on sshfs" s "Lost over sshfs" 10
keys s ':'; keys_literal s "note before"; keys s Enter
for _ in $(seq 1 50); do [ "$(notes before)" = 1 ] && break; sleep 0.1; done
check_eq "a note lands over sshfs" "$(notes before)" 1

kill -9 "$fs_pid"
wait "$fs_pid" 2>/dev/null
fs_pid=
expect_screen "the dead mount: lost" s "DATABASE LOST" 10
for k in 1 2 3; do keys s ':'; keys_literal s "note while the mount is dead $k"; keys s Enter; done
expect_screen "kept" s "3 pending" 10
check_eq "nothing written meanwhile" "$(notes 'while the mount')" 0

fusermount -u -z "$T/m" 2>/dev/null
mount_share || fail "mounting the share again: $(cat "$T/sshfs.log")"
n=0
for _ in $(seq 1 150); do
  n=$(notes 'while the mount')
  [ "$n" = 3 ] && break
  sleep 0.1
done
check_eq "the notes typed while the mount was dead landed, once each" "$n" 3
expect_screen "it opened the new mount" s "opened again" 5
wait_gone s "DATABASE LOST" 5 && ok || fail "the banner stayed: $(screen s)"
check_eq "in order" "$(sqlite3 "file:$server_db?mode=ro" "SELECT group_concat(json_extract(payload,'\$.text'),'|') FROM (SELECT payload FROM events WHERE kind='note' ORDER BY seq)")" \
  "before|while the mount is dead 1|while the mount is dead 2|while the mount is dead 3"
check_eq "integrity" "$(sqlite3 "file:$server_db?mode=ro" "PRAGMA integrity_check")" ok
keys s q
expect_screen "quit" s "__EXIT=0" 5
finish
