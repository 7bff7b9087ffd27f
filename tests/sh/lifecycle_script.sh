#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One incident driven through the CLI from declaration to closed: handoffs, a severity change, stakeholder
# updates (sent through a configured command), backfilled times, tagged notes, pins and action items. Its
# postmortem must match tests/data/postmortem-expected.md byte for byte (every time comes from WARROOM_CLOCK
# or a backfilled value). Set WARROOM_UPDATE_EXPECTED=1 to rewrite the expected document after a deliberate
# change (and review the diff).
. "$(dirname "$0")/lib.sh"

EXPECTED="$WR_SRC/tests/data/postmortem-expected.md"
export WARROOM_DATA_DIR="$T/shipped" # no shipped runbooks: only the one below
mkdir -p "$WARROOM_DATA_DIR" "$XDG_CONFIG_HOME/warroom/runbooks"
cat >"$XDG_CONFIG_HOME/warroom/config.yaml" <<EOF
update_command: "cat >>'$T/sent.txt'; echo ticket UPD-7"
update_timeout: 5
EOF
cat >"$XDG_CONFIG_HOME/warroom/runbooks/test-leaked-key.yaml" <<'EOF'
id: test-leaked-key
title: Leaked access key (test)
version: 2
description: A small runbook for the lifecycle test.
owner: test
applies_to:
  types: [security]
  assets: [identity]
roles: [incident-commander, responder]
phases:
  containment:
    - id: disable-key
      title: Disable the key
      role: responder
  eradication:
    - id: remove-attacker-resources
      title: Remove what the attacker created
      role: responder
  lessons-learned:
    - id: review
      title: Hold the blameless review
      role: incident-commander
      mandatory: false
EOF

# w HH:MM ARGS...: run warroom as if it were that time on 2026-03-01 (UTC).
w() { local t=$1; shift; WARROOM_CLOCK="2026-03-01T$t:00Z+" "$WR_BIN" --db "$DB" "$@"; }
# step DESCRIPTION HH:MM ARGS...: must succeed
step() { local what=$1; shift; expect_rc "$what" 0 w "$@"; }

wr init >/dev/null
step "declare" 09:00 --as alice declare "Leaked AWS access key" --severity SEV2 --type security \
  --started 08:30 --detected 08:52
step "IC" 09:03 --as alice assign incident-commander alice
step "scribe" 09:04 --as alice assign scribe sam --new-user
step "containment" 09:05 --as alice status containment
step "asset" 09:06 --as sam asset add identity ci-deploy-key
step "indicator" 09:06 --as sam indicator add ip 203.0.113.7 --note "used the key"
step "attach" 09:07 --as alice runbook attach test-leaked-key
step "summary" 09:08 --as sam set summary "A CI deploy key was pushed to a public repository and used from 203.0.113.7."
step "impact" 09:08 --as sam set impact "Read access to the orders bucket for about 50 minutes."
step "decision" 09:09 --as alice decision chaotic
step "severity" 09:10 --as alice severity SEV1 --reason "customer data in the bucket"
# SEV1 requires a deputy and a communications liaison: show says so until they are assigned.
step "show" 09:11 show
check_contains "missing roles" "$OUT" "warning: SEV1 requires Deputy and Communications liaison: nobody holds them"
step "deputy" 09:12 --as alice assign deputy dev --new-user
step "comms" 09:12 --as alice assign communications-liaison carol --new-user
step "show again" 09:13 show
check_not_contains "roles complete" "$OUT" "warning: SEV1 requires"
step "note" 09:15 --as sam note "Key disabled in IAM; CloudTrail shows *ListBucket* calls | from [203.0.113.7]"
step "pin" 09:16 --as alice pin 14
step "step done" 09:16 --as dev step disable-key done
# the composer's starting point, then the update itself, sent through update_command
step "template" 09:19 --as carol update --audience executive
check_contains "template" "$OUT" "CONDITIONS"
check_contains "template needs" "$OUT" "NEEDS"
step "update" 09:20 --as carol update --audience executive --send "Contained: the leaked key is disabled. Customer data may have been read; we are finding out."
check_contains "sent" "$OUT" "sent"
# the sent text ends with the short hash of the update's own timeline entry: the chain's head then
UPD_SEQ=$(printf '%s' "$OUT" | sed -n 's/.*update to executive recorded (#\([0-9]*\)).*/\1/p')
UPD_HASH=$(w 09:20 export INC-1 | python3 -c 'import json,sys; s=int(sys.argv[1]); print([e["hash"] for e in json.load(sys.stdin)["events"] if e["seq"]==s][0][:12])' "$UPD_SEQ")
check_eq "command got the text" "$(cat "$T/sent.txt")" \
  "Contained: the leaked key is disabled. Customer data may have been read; we are finding out.

[warroom INC-1 #$UPD_SEQ chain $UPD_HASH]"
expect_rc "the sent head verifies" 0 w 09:20 verify INC-1 --against "$UPD_HASH"
# Only the commander (or the deputy) hands command over: bob cannot take it, alice gives it to him.
expect_rc "handoff refused" 14 w 09:25 --as bob assign IC bob --new-user
check_contains "refusal names the commander" "$ERR" "Incident commander: alice"
step "handoff" 09:25 --as alice assign IC bob --new-user
step "eradication" 09:40 --as bob status eradication
# Out of order: refused, naming the two times that clash.
expect_rc "out of order" 2 w 09:41 --as bob milestone contained 08:40 --reason "typo"
check_contains "clash named" "$ERR" "contained 08:40 is before detected 08:52"
step "backfill contained" 09:41 --as bob milestone contained 09:18 --reason "key disabled at 09:18 per CloudTrail"
step "update 2" 09:50 --as carol update --audience internal "Attacker resources found: one IAM user, two access keys."
step "step 2" 10:05 --as dev step remove-attacker-resources done
step "recovery" 10:10 --as bob status recovery
step "resolved" 10:30 --as bob status resolved
step "backfill recovered" 10:31 --as bob milestone recovered 10:20 --reason "bucket policy restored at 10:20"
step "went well" 10:35 --as sam note --tag went-well "The key was disabled 26 minutes after detection."
step "went badly" 10:35 --as sam note --tag went-badly "Nobody was paged for the GitHub secret-scanning alert."
step "factor" 10:36 --as sam note --tag contributing-factor "Deploy keys never expire."
step "action 1" 10:40 --as bob action add Turn on push protection for secrets --owner dev --due 2026-03-15 --type preventive
step "action 2" 10:41 --as bob action add "Page on secret-scanning alerts" --owner carol --due 2026-03-08 --type detective
step "action 3" 10:42 --as bob action add "Expire deploy keys after 90 days" --type corrective
step "lessons" 10:45 --as bob status lessons-learned
step "action done" 11:00 --as dev action done 2
step "action wontdo" 11:01 --as bob action wontdo 3 --reason "deploy keys are being replaced by OIDC"
# closing straight from recovery would have been refused; from lessons-learned it is fine
step "closed" 11:05 --as bob status closed
step "postmortem" 11:10 postmortem INC-1
# The chain's head depends on the random event ids: it is checked here, and stands as HEAD in the document.
HEAD=$(w 11:10 verify INC-1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"])')
check_contains "postmortem names the head" "$OUT" "Chain head: \`$HEAD\`"
printf '%s\n' "$OUT" | sed "s/$HEAD/HEAD/g; s/--against ${HEAD:0:12}/--against HEAD12/" >"$T/postmortem.md"
if [ "${WARROOM_UPDATE_EXPECTED:-}" = 1 ]; then
  cp "$T/postmortem.md" "$EXPECTED"
fi
if diff -u "$EXPECTED" "$T/postmortem.md" >"$T/pm.diff"; then ok; else fail "postmortem differs from $EXPECTED:
$(cat "$T/pm.diff")"; fi

# The same content as data, valid JSON.
step "postmortem json" 11:10 postmortem INC-1 --json
check "postmortem json valid" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["incident"]["status"]=="closed"; assert len(d["action_items"])==3; assert d["milestones"]["contained"].startswith("2026-03-01T09:18")' "$OUT"
step "export json" 11:10 export INC-1
check "export valid" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["assets"][0]["name"]=="ci-deploy-key"; assert d["indicators"][0]["value"]=="203.0.113.7"; assert d["decision"]=="chaotic"' "$OUT"
# history of handoffs
step "roles history" 11:11 roles INC-1 --history
check_contains "handoff kept" "$OUT" "alice"
check_contains "handoff by" "$OUT" "ended by alice"
finish
