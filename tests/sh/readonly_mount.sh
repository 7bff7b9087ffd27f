#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A database on a read-only mount: `init` there says the mount is read-only and what to run (exit 6, not 8
# with "is the directory there and mounted?"), a write says why, reads still work, and `doctor` does not say
# ok. Needs root to mount a tmpfs: reported as skipped otherwise.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
MNT="$T/ro"
mkdir -p "$MNT"
mount -t tmpfs -o size=2m tmpfs "$MNT" 2>/dev/null || skip "cannot mount a tmpfs here"
trap 'mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"; cleanup' EXIT
: >"$T/all-stderr"
# run DESCRIPTION RC ARGS...: expect_rc that also keeps stderr, to look for SQLite's "not an error".
run() { expect_rc "$@"; printf '%s\n' "$ERR" >>"$T/all-stderr"; }

run "init on the mount while writable" 0 "$WR_BIN" --db "$MNT/war.db" init
run "declare" 0 "$WR_BIN" --db "$MNT/war.db" declare "Before the remount"
mount -o remount,ro "$MNT"
run "init on a read-only mount" 6 "$WR_BIN" --db "$MNT/new.db" init
check_contains "says the mount is read-only" "$ERR" "is mounted read-only (tmpfs on $MNT)"
check_contains "says what to run" "$ERR" "mount -o remount,rw $MNT"
check_not_contains "no 'is the directory there'" "$ERR" "is the directory there"
check "nothing created" [ ! -e "$MNT/new.db" ]
run "a write on a read-only mount" 6 "$WR_BIN" --db "$MNT/war.db" note INC-1 hello
check_contains "the write says why" "$ERR" "mounted read-only"
run "reads still work" 0 "$WR_BIN" --db "$MNT/war.db" show INC-1
check_contains "the incident is read" "$OUT" "Before the remount"
run "doctor on a read-only mount" 1 "$WR_BIN" --db "$MNT/war.db" doctor
check_contains "doctor names the read-only mount" "$OUT" "PROBLEM:      the filesystem holding $MNT/war.db is mounted read-only"
check_not_contains "doctor is not ok" "$OUT" "verdict:      ok"
if grep -q "not an error" "$T/all-stderr"; then fail "SQLite's 'not an error' reached a message: $(grep 'not an error' "$T/all-stderr")"; else ok; fi
finish
