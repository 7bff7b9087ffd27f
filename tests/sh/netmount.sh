#!/usr/bin/env bash
# The database on a network mount (sshfs from a loopback sshd, caching off):
#  - warroom recognises that sshfs locks hold on one host only and refuses to write there without
#    `single_host: true`, on every open and in doctor;
#  - two mounts of the same directory stand for two hosts: the refusal is what protects the file;
#  - with single_host: true, 8 writers on one mount (the bastion case): nothing lost, integrity ok;
#  - a mount that vanishes leaves an empty directory: warroom says the database is missing, creates nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd_lib.sh"
command -v sshfs >/dev/null || skip "sshfs is not installed"
sshd_start || skip "no test sshd here (see above)"
trap 'fusermount -u "$T/m1" 2>/dev/null; fusermount -u "$T/m2" 2>/dev/null; sshd_stop; cleanup' EXIT

home=$(getent passwd "$SSH_USER" | cut -d: -f6)
share="$home/share-$$"
install -d -m 2770 -o "$SSH_USER" "$share"
sshfs_mount "$share" "$T/m1" || skip "sshfs mount failed (no FUSE?)"
sshfs_mount "$share" "$T/m2"
D1="$T/m1/war.db" D2="$T/m2/war.db"

# Creating it there is refused without the confirmation.
expect_rc "init on sshfs refused" 12 "$WR_BIN" --db "$D1" init
check_contains "says why" "$ERR" "sshfs"
check "nothing created" [ ! -e "$D1" ]
expect_rc "doctor sees sshfs" 1 "$WR_BIN" --db "$D1" doctor
check_contains "doctor: fstype" "$OUT" "fuse.sshfs"
check_contains "doctor: one host" "$OUT" "one-host"

mkdir -p "$XDG_CONFIG_HOME/warroom"
printf 'single_host: true\n' >"$T/one-host.yaml"
expect_rc "init with single_host" 0 "$WR_BIN" --config "$T/one-host.yaml" --db "$D1" init
expect_rc "declare with single_host" 0 "$WR_BIN" --config "$T/one-host.yaml" --db "$D1" declare "On the mount"
expect_rc "doctor with single_host" 0 "$WR_BIN" --config "$T/one-host.yaml" --db "$D1" doctor
check_contains "doctor reports the setting" "$OUT" "single_host   true"

# The second mount (a second host): without the setting every open refuses to write, and says why.
expect_rc "second host reads" 0 "$WR_BIN" --db "$D2" show INC-1
expect_rc "second host write refused" 12 "$WR_BIN" --db "$D2" note INC-1 "from host B"
check_contains "refusal explains" "$ERR" "one host"
check_contains "refusal gives the way out" "$ERR" "single_host"

# The bastion case: 8 writers on one mount at once.
for i in 1 2 3 4 5 6 7 8; do
  ( for n in $(seq 1 15); do "$WR_BIN" --config "$T/one-host.yaml" --db "$D1" --as "w$i" note INC-1 "w$i $n" >/dev/null || echo "fail w$i $n"; done ) >"$T/w$i.log" 2>&1 &
done
wait
check_eq "no failures on the mount" "$(cat "$T"/w*.log)" ""
check_eq "all 120 notes" "$(sqlite3 "file:$D1?mode=ro" "SELECT count(*) FROM events WHERE kind='note'")" 120
check_eq "integrity on the mount" "$(sqlite3 "file:$D1?mode=ro" "PRAGMA integrity_check")" ok

# The mount vanishes: the path is an empty local directory now.
fusermount -u "$T/m2"
expect_rc "vanished mount" 11 "$WR_BIN" --config "$T/one-host.yaml" --db "$D2" note INC-1 hi
check_contains "says missing and where" "$ERR" "$D2"
check "no empty database created" [ ! -e "$D2" ]
finish
