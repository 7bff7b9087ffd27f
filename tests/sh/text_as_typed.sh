#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Text as typed: notes, titles, summaries, impact, reasons and the update composer keep every byte the
# operator typed (quotes of every kind, backslashes, shell metacharacters, `--flag` words, `-` alone,
# emoji, RTL, leading/trailing spaces, tabs), from the console (tmux) and from the command line, read back
# raw from `tail --json` and `export`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

CORPUS=(
  'IAM user "svc-backup2" created an access key'
  'C:\temp\x and \\server\share\ end\'
  "it's the primary; \"double\", 'single' and \`back\` quotes"
  'aws s3 rm --recursive s3://acme-invoices --profile prod'
  '--force was used by the attacker'
  '-'
  '--'
  '$(rm -rf /); `id`; a | b && c > d; *glob* ~root $HOME %s %n'
  '  leading and trailing spaces  '
  $'emoji \xf0\x9f\x94\xa5\xf0\x9f\x9a\x92 and RTL \xd7\x94\xd7\x9e\xd7\xa4\xd7\xaa\xd7\x97 \xd9\x85\xd9\x81\xd8\xaa\xd8\xa7\xd8\xad'
  $'\xe2\x80\x9csmart\xe2\x80\x9d \xc2\xabguillemets\xc2\xbb \xe2\x80\x98single\xe2\x80\x99'
  'INC-2 is a different incident'
)

wr init >/dev/null
wr declare "Text as typed" >/dev/null
wr runbook attach INC-1 leaked-cloud-credentials >/dev/null
tui_console a 160 45
expect_screen "console open" a "Text as typed"

notes() { sql "SELECT count(*) FROM events WHERE kind = 'note'"; }
# wait_count N: poll until the number of notes is N.
wait_count() {
  local i
  for ((i = 0; i < 100; i++)); do [ "$(notes)" = "$1" ] && return 0; sleep 0.05; done
  return 1
}

EXPECTED=()
# The console: n opens ":note ", the rest of the line is the note.
for t in "${CORPUS[@]}"; do
  n=$(notes)
  keys a n
  expect_screen "n opens the prompt" a ":note" 2
  keys_literal a "$t"
  keys a Enter
  if wait_count $((n + 1)); then ok; else fail "console note [$t] not written: $(screen a | tail -1)"; fi
  EXPECTED+=("$t")
done
# A tab typed at the prompt (readline's quoted-insert, C-v Tab: a bare Tab completes).
n=$(notes)
keys a n
keys_literal a "col1"
keys a C-v Tab
keys_literal a "col2 --x"
keys a Enter
if wait_count $((n + 1)); then ok; else fail "console note with a tab not written: $(screen a | tail -1)"; fi
EXPECTED+=($'col1\tcol2 --x')

# The command line: each text as one argument after -- (as a script passes "$text"), then several words.
for t in "${CORPUS[@]}" $'tab\there'; do
  expect_rc "cli note [$t]" 0 wr note INC-1 -- "$t"
  EXPECTED+=("$t")
done
expect_rc "cli words joined as given" 0 wr note INC-1 ran aws s3 rm --recursive s3://x -
EXPECTED+=('ran aws s3 rm --recursive s3://x -')
expect_rc "cli words, option after the text" 0 wr note INC-1 keys rotated --tag went-well
EXPECTED+=('keys rotated')

# Read back raw: every note, in order, byte for byte.
expect_rc "tail --json" 0 wr tail INC-1 --json --lines 1000
printf '%s\n' "$OUT" >"$T/tail.json"
printf '%s\0' "${EXPECTED[@]}" >"$T/expected"
check "tail --json gives back every note as typed" python3 - "$T/tail.json" "$T/expected" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
got = [e["payload"]["text"] for e in events if e["kind"] == "note"]
want = open(sys.argv[2], "rb").read().decode("utf-8").split("\0")[:-1]
if got != want:
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            print(f"note {i}: got {g!r}, want {w!r}", file=sys.stderr)
    print(f"{len(got)} notes, {len(want)} wanted", file=sys.stderr)
    sys.exit(1)
PY

# Fields and reasons from the console: the rest of the line.
SUMMARY='  "svc-backup2" -- rm --recursive C:\x\ '
TITLE=$'Leaked key \xe2\x80\x9cAKIA\xe2\x80\x9d -- it\x27s bad'
IMPACT='-'
REASON=$'waiting for "the owner" --tonight \xf0\x9f\x95\x92 '
keys a :; keys_literal a "set summary $SUMMARY"; keys a Enter
keys a :; keys_literal a "set title $TITLE"; keys a Enter
keys a :; keys_literal a "set impact $IMPACT"; keys a Enter
keys a :; keys_literal a "step disable-key block --reason $REASON"; keys a Enter
for ((i = 0; i < 100; i++)); do
  [ "$(sql "SELECT count(*) FROM events WHERE kind IN ('incident.changed', 'step.changed')")" = 4 ] && break
  sleep 0.05
done
expect_rc "export" 0 wr export INC-1
printf '%s' "$OUT" >"$T/export.json"
printf '%s\0' "$SUMMARY" "$TITLE" "$IMPACT" "$REASON" >"$T/fields"
check "summary, title, impact and the reason kept as typed" python3 - "$T/export.json" "$T/fields" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
summary, title, impact, reason = open(sys.argv[2], "rb").read().decode("utf-8").split("\0")[:4]
ok = True
for name, got, want in (("summary", d["summary"], summary), ("title", d["title"], title), ("impact", d["impact"], impact)):
    if got != want:
        print(f"{name}: got {got!r}, want {want!r}", file=sys.stderr); ok = False
reasons = [e["payload"].get("reason") for e in d["events"] if e["kind"] == "step.changed"]
if reasons != [reason]:
    print(f"reason: got {reasons!r}, want {[reason]!r}", file=sys.stderr); ok = False
sys.exit(0 if ok else 1)
PY

# The update composer: what is typed, tabs and line breaks included, is what is recorded.
keys a U
expect_screen "composer open" a "Update to internal on INC-1"
keys a C-End 2>/dev/null
keys_literal a 'He said "stop"; C:\tmp --now'
keys a Tab
keys_literal a $'\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d  '
keys a Enter
keys_literal a '- last line'
keys a C-d
for ((i = 0; i < 100; i++)); do
  [ "$(sql "SELECT count(*) FROM events WHERE kind = 'update'")" = 1 ] && break
  sleep 0.05
done
expect_rc "tail --json after the update" 0 wr tail INC-1 --json --lines 5
printf '%s\n' "$OUT" >"$T/tail2.json"
check "the composer's text kept as typed" python3 - "$T/tail2.json" <<'PY'
import json, sys
texts = [json.loads(l)["payload"]["text"] for l in open(sys.argv[1], encoding="utf-8")
         if l.strip() and json.loads(l)["kind"] == "update"]
want = 'He said "stop"; C:\\tmp --now\t\u05e9\u05dc\u05d5\u05dd  \n- last line'
if len(texts) != 1 or want not in texts[0]:
    print(f"update: {texts!r} does not hold {want!r}", file=sys.stderr); sys.exit(1)
PY

# What the screen shows of hostile text stays clean (the text is raw only in the database and in JSON).
expect_no_screen "no raw escape on the screen" a $'\e'
keys a q
expect_screen "quit" a "__EXIT=0"
finish
