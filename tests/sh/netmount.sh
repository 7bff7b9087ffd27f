#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The database on a network mount (sshfs from a loopback sshd):
#  - warroom recognises that sshfs locks hold on one host only and refuses to write there without
#    `single_host: true`, on every open and in doctor;
#  - two mounts of the same directory stand for two hosts: the refusal is what protects the file;
#  - with single_host: true, 8 writers on one mount (the bastion case): nothing lost, integrity ok;
#  - with single_host: true, two mounts of ONE share on this host (each operator mounting it for themselves;
#    FUSE locks do not cross mount points): 4 writers on each mount, half of them long-lived processes, the
#    second mount's writers another Unix user, readers on both mounts meanwhile: every acknowledged write is
#    there, integrity ok, every read whole; doctor names the host-local lock and the other mount;
#  - a mount that vanishes leaves an empty directory: warroom says the database is missing, creates nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd_lib.sh"
command -v sshfs >/dev/null || skip "sshfs is not installed"
sshd_start || skip "no test sshd here (see above)"
trap 'fusermount -u "$T/m1" 2>/dev/null; fusermount -u "$T/m2" 2>/dev/null; sshd_stop; cleanup' EXIT

home=$(getent passwd "$SSH_USER" | cut -d: -f6)
share="$home/share-$$"
install -d -m 2770 -o "$SSH_USER" "$share"
chmod o+x "$T"  # the second mount's operator is another user
sshfs_mount "$share" "$T/m1" || skip "sshfs mount failed (no FUSE?)"
sshfs_mount "$share" "$T/m2" -o allow_other
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

# Two mounts of one share on this host, both confirmed single-host (the bastion where each operator mounts the
# share for themselves). Without the host-local lock this lost acknowledged writes and broke indexes.
check_eq "a clean start" "$(sqlite3 "file:$D1?mode=ro" "PRAGMA integrity_check")" ok
expect_rc "doctor on mount 1" 0 "$WR_BIN" --config "$T/one-host.yaml" --db "$D1" doctor
check_contains "doctor: the host lock" "$OUT" "host_lock"
check_contains "doctor: the other mount" "$OUT" "$T/m2/war.db"
lock1=$(printf '%s\n' "$OUT" | sed -n 's/^host_lock  *\([^ ]*\).*/\1/p')
expect_rc "doctor on mount 2" 0 "$WR_BIN" --config "$T/one-host.yaml" --db "$D2" doctor
check_contains "doctor 2: the other mount" "$OUT" "$T/m1/war.db"
lock2=$(printf '%s\n' "$OUT" | sed -n 's/^host_lock  *\([^ ]*\).*/\1/p')
check "one lock for both mounts" [ -n "$lock1" ] && check_eq "the same lock file" "$lock2" "$lock1"
check_eq "the lock file: every operator may take it" "$(stat -c %a "$lock1" 2>/dev/null)" 644
# The other operator: a Unix user of its own, its own copy of the programs and of the config.
share_install
install -m 0755 "$WR_BINDIR/wr_writer" "$SHARED_DIR/wr_writer"
install -m 0644 "$T/one-host.yaml" "$SHARED_DIR/one-host.yaml"
ohome=$(mktemp -d "${TMPDIR:-/tmp}/wr-home.XXXXXX"); chown "$SSH_USER" "$ohome"; CLEANUP_EXTRA+=("$ohome")
as_other() { runuser -u "$SSH_USER" -- env HOME="$ohome" XDG_CONFIG_HOME="$ohome/.config" \
  XDG_STATE_HOME="$ohome/.state" WARROOM_DATA_DIR="$SHARED_DATA" "$@"; }
run_writer() { # run_writer MOUNT N: a writer's loop on that mount (long-lived for N 1-2, one process per note
  local m=$1 i=$2 run=()    # for 3-4); prints what was acknowledged: event ids or note texts
  [ "$m" = 2 ] && run=(as_other)
  if [ "$i" -le 2 ]; then
    "${run[@]}" "$SHARED_DIR/wr_writer" "$T/m$m/war.db" 1 60 "m$m-w$i" single-host
  else
    for n in $(seq 1 20); do
      "${run[@]}" "$SHARED_BIN" --config "$SHARED_DIR/one-host.yaml" --db "$T/m$m/war.db" --as "m$m-w$i" \
        note INC-1 "m$m-w$i-$n" >/dev/null && echo "m$m-w$i-$n"
    done
  fi
}
run_reader() { # run_reader MOUNT: read the timeline and the incident until the writers are done
  local m=$1 rc
  while [ ! -e "$T/writers-done" ]; do
    "$SHARED_BIN" --config "$SHARED_DIR/one-host.yaml" --db "$T/m$m/war.db" tail INC-1 --lines 3 >/dev/null 2>>"$T/r$m.err"
    rc=$?; [ "$rc" = 0 ] || echo "tail on mount $m: exit $rc"
    "$SHARED_BIN" --config "$SHARED_DIR/one-host.yaml" --db "$T/m$m/war.db" show INC-1 >/dev/null 2>>"$T/r$m.err"
    rc=$?; [ "$rc" = 0 ] || echo "show on mount $m: exit $rc"
    echo read >>"$T/nreads$m"
  done
}
before=$(sqlite3 "file:$D1?mode=ro" "SELECT count(*) FROM events")
writers=()
for m in 1 2; do
  for i in 1 2 3 4; do run_writer "$m" "$i" >"$T/ack$m$i" 2>"$T/err$m$i" & writers+=($!); done
done
run_reader 1 >"$T/reads1" & r1=$!
run_reader 2 >"$T/reads2" & r2=$!
wait "${writers[@]}"
touch "$T/writers-done"
wait "$r1" "$r2"
cat "$T"/ack?? | sort >"$T/acked"
sqlite3 "file:$D1?mode=ro" "SELECT uid FROM events WHERE kind='note' UNION ALL
  SELECT json_extract(payload, '$.text') FROM events WHERE kind='note'" | sort >"$T/present"
check_eq "writes acknowledged on both mounts" "$(wc -l <"$T/acked")" 320
check_eq "acknowledged writes missing from the database" "$(comm -23 "$T/acked" "$T/present" | head -5)" ""
check_eq "events: exactly the new ones" "$(sqlite3 "file:$D1?mode=ro" "SELECT count(*) FROM events")" $((before + 320))
check_eq "writers' errors" "$(cat "$T"/err??)" ""
check_eq "integrity after two mounts" "$(sqlite3 "file:$D1?mode=ro" "PRAGMA integrity_check")" ok
check_eq "every read whole on both mounts" "$(cat "$T/reads1" "$T/reads2" "$T"/r?.err)" ""
check "mount 1 was read meanwhile" [ -s "$T/nreads1" ]
check "mount 2 was read meanwhile" [ -s "$T/nreads2" ]
check_eq "the other user's notes are recorded as that user" \
  "$(sqlite3 "file:$D1?mode=ro" "SELECT count(*) FROM events WHERE kind='note' AND os_user='$SSH_USER'")" 40

# The mount vanishes: the path is an empty local directory now.
fusermount -u "$T/m2"
expect_rc "vanished mount" 11 "$WR_BIN" --config "$T/one-host.yaml" --db "$D2" note INC-1 hi
check_contains "says missing and where" "$ERR" "$D2"
check "no empty database created" [ ! -e "$D2" ]
finish
