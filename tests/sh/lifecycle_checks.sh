#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lifecycle edge cases through the CLI: transition rules and --force, merges, update commands that fail or
# hang (recorded, never fatal), --send without a command, terminal- and Markdown-safety of the postmortem,
# `who`, the cross-incident report, and that every --json output parses.
. "$(dirname "$0")/lib.sh"

CFG="$XDG_CONFIG_HOME/warroom/config.yaml"
mkdir -p "$XDG_CONFIG_HOME/warroom"
w() { local t=$1; shift; WARROOM_CLOCK="2026-03-01T$t:00Z+" "$WR_BIN" --db "$DB" "$@"; }
json_ok() { python3 -c 'import json,sys; json.loads(sys.stdin.read())'; }

wr init >/dev/null
w 09:00 declare "Checks" --severity SEV3 >/dev/null

# --- transitions ---
expect_rc "closed from triage refused" 2 w 09:01 status closed
check_contains "why" "$ERR" "close an incident from resolved or lessons-learned"
expect_rc "declined only from triage" 0 w 09:01 status containment
expect_rc "declined refused" 2 w 09:02 status declined
expect_rc "force needs reason" 2 w 09:02 status closed --force
expect_rc "force with reason" 0 w 09:02 status closed --force --reason "duplicate of a ticket"
expect_rc "reopen refused" 2 w 09:03 status INC-1 triage
expect_rc "reopen forced" 0 w 09:03 status INC-1 triage --force --reason "it came back"

# --- merges ---
w 09:04 declare "The real one" >/dev/null
expect_rc "merged needs --into" 2 w 09:05 status INC-1 merged
expect_rc "merge" 0 w 09:05 status INC-1 merged --into INC-2
expect_rc "target timeline" 0 w 09:06 tail INC-2
check_contains "merged-in entry" "$OUT" "INC-1 was merged into this incident"
expect_rc "show merged" 0 w 09:06 show INC-1
check_contains "merged into shown" "$OUT" "merged into: INC-2"

# --- update commands that fail ---
expect_rc "send without command" 2 w 09:10 update INC-2 --audience internal --send "x"
check_eq "nothing written" "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'update'")" 0
printf 'update_command: "echo refused >&2; exit 3"\n' >"$CFG"
expect_rc "exit 3 is not fatal" 0 w 09:11 update INC-2 --audience executive --send "first"
check_contains "warned" "$ERR" "NOT sent: the update command exited with 3"
expect_rc "tail" 0 w 09:12 tail INC-2
check_contains "failure recorded" "$OUT" "NOT sent: the update command exited with 3: refused"
printf 'update_command: "sleep 31.7"\nupdate_timeout: 1\n' >"$CFG"
start=$(date +%s)
expect_rc "timeout is not fatal" 0 w 09:13 update INC-2 --audience internal --send "second"
took=$(( $(date +%s) - start ))
check "stopped in time ($took s)" [ "$took" -lt 5 ]
check_contains "timeout warned" "$ERR" "was stopped"
check "the command is gone" bash -c '! pgrep -f "[s]leep 31.7" >/dev/null'
expect_rc "tail" 0 w 09:14 tail INC-2
check_contains "timeout recorded" "$OUT" "NOT sent: the update command was stopped after 1s (update_timeout)"
# A command that does not read its input: no SIGPIPE for warroom.
printf 'update_command: "exit 0"\n' >"$CFG"
big=$(head -c 16000 /dev/zero | tr '\0' 'x')
expect_rc "unread input" 0 w 09:15 update INC-2 --audience customer --send "$big"
check_contains "sent anyway" "$OUT" "sent"
expect_rc "send json" 0 w 09:15 --json update INC-2 --audience internal --send "json"
check "send json valid" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["sent"] is True' "$OUT"
check_eq "two events per send" "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'update.sent'")" 4
# A severity without cadence has no due time; SEV1 is overdue 31 minutes after the last update.
expect_rc "sev1" 0 w 09:16 severity INC-2 SEV1
expect_rc "show due" 0 w 09:40 show INC-2
check_contains "due" "$OUT" "updates:  next due 2026-03-01 09:45 UTC (in 5m; every 30m)"
expect_rc "show overdue" 0 w 09:50 show INC-2
check_contains "overdue" "$OUT" "updates:  OVERDUE by 5m"
rm -f "$CFG"

# --- text that would break a terminal or the Markdown ---
esc=$(printf 'evil \033[2J\033]0;pwned\007 ## heading | `code` <b>x</b>\n- item')
expect_rc "hostile note" 0 w 09:20 note INC-2 "$esc"
expect_rc "hostile summary" 0 w 09:20 set INC-2 summary "$esc"
expect_rc "postmortem" 0 w 09:21 postmortem INC-2
check "no escape byte in the postmortem" bash -c '! printf "%s" "$1" | grep -q $'"'"'\x1b'"'"'' _ "$OUT"
check_contains "escaped markup" "$OUT" '## heading \| \`code\` \<b>x\</b>'
check_contains "summary lines kept, list marker escaped" "$OUT" $'\n\\- item'
expect_rc "postmortem json" 0 w 09:21 postmortem INC-2 --json
check "no escape byte in the JSON" bash -c '! printf "%s" "$1" | grep -q $'"'"'\x1b'"'"'' _ "$OUT"
printf '%s' "$OUT" | json_ok && ok || fail "postmortem json invalid"
check "escape kept as \\u001b" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert "\x1b[2J" in d["incident"]["summary"]' "$OUT"

# --- who ---
expect_rc "who nobody" 0 w 09:30 who
check_contains "nobody" "$OUT" "nobody is in the war room"
now_ms=$(python3 -c 'import datetime; print(int(datetime.datetime(2026,3,1,9,30,tzinfo=datetime.timezone.utc).timestamp()*1000))')
# A console's presence file (docs/store.md: presence), as another host's console would leave it, beaten at 09:30.
mkdir -p "$DB.presence"
pf="$DB.presence/0123456789abcdef0123456789abcdef"
printf 'warroom-presence 1\nactor=maria\nos_user=maria\norigin=ssh 10.0.0.9 pts/4\nhost=bastion\nincident=2\nsince=%s\nbeat_ms=15000\n' "$now_ms" >"$pf"
touch -d "@$((now_ms / 1000))" "$pf"
expect_rc "who" 0 w 09:30 who INC-2
check_contains "maria here" "$OUT" "maria"
expect_rc "who json" 0 w 09:30 who --json
printf '%s' "$OUT" | json_ok && ok || fail "who json invalid"
expect_rc "who later" 0 w 09:31 who
check_contains "maria gone after 45 s" "$OUT" "nobody"

# --- the report on known data: three SEV2 security incidents detected 10, 20 and 60 minutes after start ---
for m in 10 20 60; do
  w 12:00 declare "R$m" --severity SEV2 --type security --started 10:00 --detected "10:$(printf %02d $((m % 60)))" >/dev/null
done
# (the 60-minute one: detected 11:00)
sqlite3 "$DB" "SELECT 1" >/dev/null
id=$(sqlite3 "$DB" "SELECT id FROM incidents WHERE title = 'R60'")
w 12:01 milestone "INC-$id" detected 11:00 --reason "fix" >/dev/null
w 12:00 declare "Drill" --severity SEV2 --type security --drill --started 10:00 --detected 10:05 >/dev/null
expect_rc "report" 0 w 12:30 report --since 2026-03-01T11:00Z
check_contains "drills left out" "$OUT" "1 drill left out"
check_contains "median/p90 by severity" "$OUT" "SEV2                         3  20m/52m"
expect_rc "report json" 0 w 12:30 report --since 2026-03-01T11:00Z --json
check "report numbers" python3 -c '
import json,sys
d=json.loads(sys.argv[1])
s=[g for g in d["by_severity"] if g["key"]=="SEV2"][0]
assert s["count"]==3, s
assert s["detect"]["median_seconds"]==1200 and s["detect"]["p90_seconds"]==3120, s
t=[g for g in d["by_type"] if g["key"]=="security"][0]
assert t["count"]==3' "$OUT"
expect_rc "report with drills" 0 w 12:30 report --since 2026-03-01T11:00Z --drills --json
check "drill counted" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["all"]["count"]==4' "$OUT"

# --- every JSON output parses ---
for cmd in "roles INC-2" "milestone INC-2" "action INC-2 list" "asset INC-2 list" "indicator INC-2 list" \
           "decision INC-2" "update INC-2 --audience internal" "export INC-2" "show INC-2" "list --all"; do
  # shellcheck disable=SC2086
  expect_rc "json $cmd" 0 w 12:40 --json $cmd
  printf '%s' "$OUT" | json_ok && ok || fail "--json $cmd: invalid JSON: $OUT"
done
finish
