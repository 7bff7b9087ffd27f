#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `warroom run` never loses the record of a command that already ran: the database is locked (another process
# holds BEGIN EXCLUSIVE) from while the command runs until after warroom's write deadline; the command's status
# is still passed through, stderr says plainly that the record is not written yet and where it is kept, and the
# next warroom command, once the lock is gone, writes it (exactly once: a second command writes nothing more),
# evidence bytes and all, and the chain verifies.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip "the sqlite3 program is not installed"

wr init >/dev/null
wr declare "Busy night" >/dev/null
before=$(events)
mkfifo "$T/ran" "$T/go"
# The command says it started, waits for the test, then writes its output and exits 7.
wr --wait 1 run -- sh -c "echo started >'$T/ran'; read l <'$T/go'; echo 'the output AKIAIOSFODNN7EXAMPLE'; exit 7" \
  >"$T/run.out" 2>"$T/run.err" &
RUN=$!
read -r _ <"$T/ran"           # the command runs (warroom holds no lock meanwhile)
hold_lock busy exclusive || exit 1
echo go >"$T/go"              # it ends now, while the lock is held
wait $RUN
rc=$?
check_eq "the command's status passed through" "$rc" 7
check_eq "its output shown" "$(cat "$T/run.out")" "the output AKIAIOSFODNN7EXAMPLE"
ERR=$(cat "$T/run.err")
check_contains "said plainly" "$ERR" "NOT RECORDED YET"
check_contains "why" "$ERR" "the database is busy"
files=("$XDG_STATE_HOME"/warroom/pending-*-run-*.jsonl)
check "kept in a file" test -f "${files[0]}"
check_contains "names the file" "$ERR" "${files[0]}"
check_eq "the file is the user's alone" "$(stat -c %a "${files[0]}")" 600
check_not_contains "no secret in the kept file" "$(cat "${files[0]}")" "AKIAIOSFODNN7EXAMPLE"
check_not_contains "nor its bytes (hex)" "$(cat "${files[0]}")" "$(printf AKIAIOSF | od -An -tx1 | tr -d " \n")"
release_lock busy
wait "$HOLDER_PID"
check_eq "nothing written while locked" "$(events)" "$before"

# the next command writes it
expect_rc "the next command" 0 wr tail -n 1
check_contains "says it wrote it" "$ERR" "recorded command run on INC-1 kept earlier"
check_contains "there" "$OUT" "ran \`sh -c"
check_contains "with its status" "$OUT" "exit 7"
check "the file is gone" test ! -e "${files[0]}"
check_eq "one event more" "$(events)" "$((before + 1))"
S=$(sqlite3 "$DB" "SELECT max(seq) FROM events")
check_eq "its bytes" "$(wr evidence "$S" --raw)" "the output [REDACTED:aws-access-key-id]"
check_eq "when it ran, not when written" "$(sqlite3 "$DB" "SELECT occurred_at = json_extract(payload, '\$.started_at') FROM events WHERE seq = $S")" 1
expect_rc "again: nothing more" 0 wr tail -n 1
check_not_contains "no second write" "$ERR" "kept earlier"
check_eq "still one" "$(events)" "$((before + 1))"
expect_rc "verifies" 0 wr verify
finish
