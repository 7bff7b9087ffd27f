#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every JSON-producing command, on data holding hostile text (quotes, backslashes, control bytes, an ESC
# sequence, invalid UTF-8 FF FE, U+2028), prints JSON that python3's json module accepts strictly (no control
# characters inside strings, no lone surrogates, one document per line for the line-oriented outputs), and
# every document is an object whose first member is "format": 1. (A command run and a file attached with
# hostile text in their command line, output, contents and notes: their `evidence --json`.)
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
export WARROOM_CLOCK="2026-03-01T09:00:00Z+"
H=$(printf 'q"uo\\te \\\\ back\001ctl\tTAB \033[31mRED\033[0m \377\376 bad \342\200\250 ls')
P=$(printf 'q"uo\\ \377\376 \342\200\250') # printable hostile text: where control bytes are refused
expect_rc "init" 0 wr init
expect_rc "declare hostile" 0 wr declare --type outage -- "T $H"
expect_rc "note hostile" 0 wr note INC-1 -- "N $H"
expect_rc "tagged note hostile" 0 wr note INC-1 --tag went-well -- "W $H"
expect_rc "summary hostile" 0 wr set INC-1 summary -- "S $H"
expect_rc "assign hostile name" 0 wr assign INC-1 scribe "u$P" --new-user
expect_rc "asset hostile" 0 wr asset INC-1 add database "db$P"
expect_rc "indicator hostile" 0 wr indicator INC-1 add other "v$P" --note "n$H"
expect_rc "action hostile" 0 wr action INC-1 add --owner "o$P" -- "A $H"
expect_rc "update hostile" 0 wr update INC-1 --audience internal -- "U $H"
expect_rc "run hostile" 0 wr run INC-1 --note "R $H" -- printf '%s\n' "C $H"
printf 'F %s\n' "$H" >"$T/hostile.txt"
expect_rc "attach hostile" 0 wr attach INC-1 "$T/hostile.txt" --note "A $H"
printf '{"fingerprint":"fp1","name":"N%s","severity":"critical","summary":"S"}\n' 'x\"y\\z' | wr alert >/dev/null 2>&1
strict() { # strict DESCRIPTION [--lines] : stdin parsed strictly
  local what=$1 mode=${2:-doc}
  if python3 -c '
import json, sys
data = sys.stdin.buffer.read()
text = data.decode("utf-8")  # invalid UTF-8 in the output fails here
docs = [l for l in text.splitlines() if l] if sys.argv[1] == "--lines" else [text]
assert docs, "no output"
for d in docs:
    v = json.loads(d, strict=True)
    assert isinstance(v, dict) and v.get("format") == 1, "not an object whose \"format\" is 1: " + d[:80]
' "$mode" 2>"$T/py.err"; then ok; else fail "$what: not strict JSON: $(head -c 300 "$T/py.err")"; fi
}
for cmd in "list" "list --all" "show INC-1" "export INC-1" "postmortem INC-1" "roles INC-1" "who" \
           "milestone INC-1" "decision INC-1" "asset INC-1 list" "indicator INC-1 list" "action INC-1 list" \
           "update INC-1 --audience customer" "alerts --all" "report" "runbook list" "runbook suggest INC-1" \
           "drill list" "oncall --oncall $WR_SRC/docs/oncall.example.yaml" "doctor" "alert rules" \
           "runbook show leaked-cloud-credentials" "verify" "verify INC-1" "note INC-1 -- again $H" \
           "evidence INC-1 $(sqlite3 "$DB" "SELECT seq FROM events WHERE kind = 'command.run'")" \
           "evidence INC-1 $(sqlite3 "$DB" "SELECT seq FROM events WHERE kind = 'file.attached'")" \
           "attach INC-1 $T/hostile.txt"; do
  # shellcheck disable=SC2086
  wr --json $cmd >"$T/j" 2>"$T/e"
  strict "--json $cmd" <"$T/j"
done
wr --json tail INC-1 --lines 50 >"$T/j" 2>"$T/e"
strict "--json tail (JSON lines)" --lines <"$T/j"
finish
