#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Commands recorded as they ran (docs/evidence.md): `warroom run` passes the exit status through (an exit
# code, death by a signal as 128+N, 127 for a command that is not found, which is recorded too) and records
# the command line, status, sizes and hashes; 10 MiB of output are kept capped (head and tail) with the hash of
# the whole equal to sha256sum's; binary output is kept as bytes (evidence --raw gives them back) and shown as a
# hex summary; a secret in the arguments and in the output is stored redacted and shown redacted by tail, show,
# export, evidence and the postmortem, and is nowhere in the database file; a secret across a pipe's read
# boundary is still redacted; `attach` records a file; verify finds an evidence row changed, deleted or put in;
# a schema-3 database is migrated to 4 and verifies; the configuration's rules and cap apply.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || skip "the sqlite3 program is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"

wr init >/dev/null
wr declare "Leaked key" >/dev/null
wr note "before the commands" >/dev/null
cp "$DB" "$T/v4-empty.db"
last() { sqlite3 "$DB" "SELECT max(seq) FROM events"; }
payload() { sqlite3 "$DB" "SELECT json_extract(payload, '$1') FROM events WHERE seq = $(last)"; }

# ---- exit statuses ----
expect_rc "exit 0" 0 wr run -- true
check_eq "exit 0 recorded" "$(payload '$.status') $(payload '$.exit')" "0 0"
check_contains "says where it is" "$ERR" "recorded as INC-1 #$(last)"
expect_rc "exit 3 passed through" 3 wr run -- sh -c 'echo out; echo err >&2; exit 3'
check_eq "stdout shown" "$OUT" "out"
check_eq "stderr shown" "$(printf '%s' "$ERR" | head -1)" "err"
check_eq "exit 3 recorded" "$(payload '$.exit')" 3
check_eq "both streams kept" "$(wr evidence "$(last)" --raw)" "out
err"
expect_rc "an incident given" 0 wr run INC-1 --note "looked" -- echo hi
check_eq "the note" "$(payload '$.note')" "looked"
expect_rc "killed by a signal: 128+N" 143 wr run -- sh -c 'kill -TERM $$'
check_eq "signal recorded" "$(payload '$.signal') $(payload '$.signal_name') $(payload '$.status')" "15 SIGTERM 143"
expect_rc "command not found: 127" 127 wr run -- no-such-command-here --flag
check_contains "said like a shell" "$ERR" "no-such-command-here: command not found"
check_eq "not-found recorded" "$(payload '$.error') $(payload '$.status')" "command not found 127"
check_contains "tail shows it" "$(wr tail -n 1)" "ran \`no-such-command-here --flag\`: not run (command not found), status 127"
printf '#!/bin/sh\n' >"$T/noexec"
expect_rc "not executable: 126" 126 wr run -- "$T/noexec"
expect_rc "nothing to run" 2 wr run --
expect_rc "an option of the command needs --" 2 wr run ls --all-of-it
expect_rc "only the incident before --" 2 wr run foo -- true
expect_rc "an unknown incident: not run" 3 wr run INC-9 -- touch "$T/ran"
check "the command did not run" test ! -e "$T/ran"
expect_rc "the command's own --help" 0 wr run -- sh -c 'echo "$1"' sh --help
check_eq "passed on" "$OUT" "--help"
check_contains "cwd and host" "$(payload '$.cwd')|$(payload '$.host')" "$PWD|$(hostname)"
check_eq "pipes, not a terminal" "$(payload '$.tty')" "0"

# ---- 10 MiB: capped, hashed whole ----
python3 -c 'import os,sys; sys.stdout.buffer.write(os.urandom(10*1024*1024).hex().encode()[:10*1024*1024])' >"$T/big"
expect_rc "10 MiB of output" 0 wr run -- cat "$T/big"
check "all of it shown" cmp -s "$T/out" "$T/big"
check_eq "size" "$(payload '$.size')" 10485760
check_eq "hash of the whole" "$(payload '$.sha256')" "$(sha256sum "$T/big" | cut -d' ' -f1)"
check_eq "capped" "$(payload '$.evidence.truncated') $(payload '$.evidence.bytes')" "1 1048576"
check_eq "stored bytes" "$(sqlite3 "$DB" "SELECT length(bytes) FROM evidence WHERE seq = $(last)")" 1048576
wr evidence "$(last)" --raw >"$T/kept"
check_eq "head kept" "$(head -c 524288 "$T/kept" | sha256sum)" "$(head -c 524288 "$T/big" | sha256sum)"
check_eq "tail kept" "$(tail -c 524288 "$T/kept" | sha256sum)" "$(tail -c 524288 "$T/big" | sha256sum)"
check_contains "shown with the gap" "$(wr evidence "$(last)")" "[... 9437184 bytes left out ...]"
check_contains "tail line" "$(wr tail -n 1)" "10.0 MiB output, sha256 $(sha256sum "$T/big" | cut -c1-12) (1.0 MiB kept)"

# ---- binary ----
head -c 3000 /dev/urandom >"$T/bin"
printf '\0\1\2' >>"$T/bin"
wr run -- cat "$T/bin" >"$T/bin.shown" 2>/dev/null
check_eq "binary output" "$?" 0
check "shown as it is" cmp -s "$T/bin" "$T/bin.shown"
check_eq "binary flagged" "$(payload '$.evidence.binary')" 1
wr evidence "$(last)" --raw >"$T/bin.back"
check "evidence --raw gives the bytes back" cmp -s "$T/bin" "$T/bin.back"
check_contains "hex summary" "$(wr evidence "$(last)")" "binary, 2.9 KiB kept"
check_contains "hex lines" "$(wr evidence "$(last)")" "00000000  $(head -c 1 "$T/bin" | od -An -tx1 | tr -d ' ')"
check_contains "tail as hex" "$(payload '$.tail')" "binary, 2.9 KiB: "

# ---- secrets ----
AKID=AKIAIOSFODNN7EXAMPLE
SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
expect_rc "a secret in the arguments and the output" 0 wr run -- sh -c \
  "echo 'aws_secret_access_key = $SECRET'; echo 'key $AKID'" sh "https://admin:hunter2pw@db.example/x"
check_contains "shown live (the operator's own terminal)" "$OUT" "$AKID"
S=$(last)
check_contains "rules named" "$(payload '$.redacted')" "aws-access-key-id, aws-secret-access-key, url-password"
for what in "tail" "show" "export" "evidence $S" "evidence $S --json" "postmortem" "postmortem --json"; do
  # shellcheck disable=SC2086
  out=$(wr $what 2>&1)
  check_not_contains "$what: no key id" "$out" "$AKID"
  check_not_contains "$what: no secret key" "$out" "wJalrXUtnFEMI"
  check_not_contains "$what: no password" "$out" "hunter2pw"
done
check_contains "tail shows it redacted" "$(wr tail -n 1)" "https://admin:[REDACTED:url-password]@db.example/x"
check_contains "evidence shows it redacted" "$(wr evidence "$S")" "aws_secret_access_key = [REDACTED:aws-secret-access-key]"
check_contains "postmortem lists it" "$(wr postmortem)" "## Commands run"
check_contains "postmortem row" "$(wr postmortem)" "| $S | "
check_eq "postmortem json" "$(wr postmortem --json | python3 -c 'import json,sys; d=json.load(sys.stdin); c=[x for x in d["commands"] if x["seq"]=='"$S"'][0]; print(c["status"], "AKIA" in json.dumps(d))')" "0 False"
expect_rc "evidence --json is strict JSON" 0 wr evidence "$S" --json
check_eq "evidence json" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["format"], d["seq"], d["kind"], "[REDACTED:aws-access-key-id]" in d["text"])')" "1 $S command.run True"
check "the database file never held them" sh -c "! grep -a -q -e '$AKID' -e 'wJalrXUtnFEMI' -e hunter2pw '$DB'"
# across a pipe's read boundary: a key split over two writes, the second after the first was read
mkfifo "$T/go"
expect_rc "a secret over two reads" 0 wr run -- sh -c "printf 'x%.0s' \$(seq 1 100); printf 'AKIAIOSF'; read l <'$T/go'; printf 'ODNN7EXAMPLE\n'" &
RUNPID=$!
# the first half is out (shown live) before the rest is written
for ((i = 0; i < 200; i++)); do grep -q AKIAIOSF "$T/out" 2>/dev/null && break; sleep 0.05; done
echo go >"$T/go"
wait $RUNPID
check_contains "split key redacted" "$(wr evidence "$(last)")" "[REDACTED:aws-access-key-id]"
check_not_contains "no half of it" "$(wr evidence "$(last)" --raw)" "AKIAIOSF"

# ---- attach ----
printf 'line 1\ntoken: Bearer abcdefghijklmnopqrstuvwxyz\n' >"$T/notes.txt"
expect_rc "attach" 0 wr attach "$T/notes.txt" --note "from the bastion"
check_contains "attach says" "$OUT" "attached ($(stat -c %s "$T/notes.txt") bytes, sha256 $(sha256sum "$T/notes.txt" | cut -c1-12))"
A=$(last)
check_eq "attach recorded" "$(payload '$.path') $(payload '$.size') $(payload '$.sha256')" \
  "$T/notes.txt $(stat -c %s "$T/notes.txt") $(sha256sum "$T/notes.txt" | cut -d' ' -f1)"
check_eq "attach redacted" "$(wr evidence "$A" --raw)" "line 1
token: Bearer [REDACTED:bearer-token]"
expect_rc "attach --json" 0 wr --json attach "$T/bin"
check_eq "attach json" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["ok"], d["size"])')" "True 3003"
wr evidence "$(last)" --raw >"$T/bin.att"
check "attached binary round trip" cmp -s "$T/bin" "$T/bin.att"
expect_rc "attach a directory" 2 wr attach "$T"
expect_rc "attach a missing file" 3 wr attach "$T/none"
expect_rc "evidence of a note" 3 wr evidence 2
check_contains "says what it is" "$ERR" "entry #2 is a note, which carries no evidence"
expect_rc "evidence of no entry" 3 wr evidence 9999

# ---- verify: the evidence rows ----
expect_rc "verifies" 0 wr verify
cp "$DB" "$T/clean.db"
sqlite3 "$DB" "UPDATE evidence SET bytes = CAST('harmless' AS BLOB) WHERE seq = $S"
expect_rc "changed evidence found" 1 wr verify
check_contains "named" "$OUT" "the evidence of entry #$S (command.run by"
check_contains "changed" "$OUT" "was changed"
expect_rc "verify --json" 1 wr verify --json
check_eq "json break" "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); b=d["breaks"][0]; print(d["ok"], b["what"], b["seq"])')" "False evidence $S"
expect_rc "doctor finds it" 1 wr doctor
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "DELETE FROM evidence WHERE seq = $A"
expect_rc "deleted evidence found" 1 wr verify INC-1
check_contains "deleted" "$OUT" "the evidence of entry #$A (file.attached by"
cp "$T/clean.db" "$DB"
sqlite3 "$DB" "INSERT INTO evidence(seq, bytes) VALUES (2, CAST('planted' AS BLOB))"
expect_rc "planted evidence found" 1 wr verify
check_contains "planted" "$OUT" "evidence was put in beside entry #2"
cp "$T/clean.db" "$DB"
# rewriting the payload's hash to match breaks the chain instead
sqlite3 "$DB" "UPDATE evidence SET bytes = CAST('x' AS BLOB) WHERE seq = $S;
  UPDATE events SET payload = json_set(payload, '\$.evidence.sha256', '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881', '\$.evidence.bytes', 1) WHERE seq = $S"
expect_rc "a matching payload breaks the chain" 1 wr verify
check_contains "edited" "$OUT" "entry #$S (command.run by"
cp "$T/clean.db" "$DB"

# ---- schema 3 -> 4 ----
cp "$T/v4-empty.db" "$T/v3.db"
sqlite3 "$T/v3.db" "DROP TABLE evidence; PRAGMA user_version = 3"
check_eq "v3 made" "$(sqlite3 "$T/v3.db" "PRAGMA user_version")" 3
expect_rc "v3 migrates and verifies" 0 "$WR_BIN" --db "$T/v3.db" verify
check_eq "v3 migrated" "$(sqlite3 "$T/v3.db" "PRAGMA user_version")" 4
check_eq "the table made" "$(sqlite3 "$T/v3.db" "SELECT count(*) FROM evidence")" 0
expect_rc "runs on it" 0 "$WR_BIN" --db "$T/v3.db" run -- echo after
expect_rc "and verifies" 0 "$WR_BIN" --db "$T/v3.db" verify

# ---- the configuration: a rule, the cap ----
mkdir -p "$XDG_CONFIG_HOME/warroom"
cat >"$XDG_CONFIG_HOME/warroom/config.yaml" <<'YAML'
evidence_cap: 4096
redact:
  - 'tok_[a-z0-9]{8}'
  - {name: db-pass, pattern: 'DB_PASS=([^ ]+)', group: 1}
YAML
expect_rc "configured rules" 0 wr run -- echo "tok_abcd1234 DB_PASS=s3cr3t! x"
check_eq "both fired" "$(wr evidence "$(last)" --raw)" "[REDACTED:redact-1] DB_PASS=[REDACTED:db-pass] x"
expect_rc "configured cap" 0 wr run -- head -c 100000 "$T/big"
check_eq "kept to the cap" "$(payload '$.evidence.bytes') $(payload '$.evidence.truncated')" "4096 1"
printf 'redact: ["a(b"]\n' >"$XDG_CONFIG_HOME/warroom/config.yaml"
expect_rc "a bad rule is refused" 2 wr run -- true
check_contains "says why" "$ERR" "redaction rule redact-1"
rm "$XDG_CONFIG_HOME/warroom/config.yaml"
expect_rc "all verifies at the end" 0 wr verify
finish
