#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `warroom oncall`: the file's place, who is on call (an override across a New York 12 h rotation), escalation
# chains, JSON, and a bad file reported by line and column.
. "$(dirname "$0")/lib.sh"

EX="$WR_SRC/docs/oncall.example.yaml"
expect_rc "no on-call file" 3 "$WR_BIN" oncall
check_contains "says where to put it" "$ERR" "$XDG_CONFIG_HOME/warroom/oncall.yaml"

# Saturday 2026-04-04 08:00 New York: erin's 12 h shift, covered by zoe (override for the long weekend).
expect_rc "oncall --at" 0 "$WR_BIN" oncall --oncall "$EX" --at 2026-04-04T12:00:00Z
check_contains "platform covered by zoe" "$OUT" "on call    zoe  (override: covering erin)"
check_contains "shift start in New York time" "$OUT" "since      2026-04-03 21:00 EDT"
check_contains "until 09:00 EDT" "$OUT" "until      2026-04-04 09:00 EDT (in 1h00m)"
check_contains "next" "$OUT" "next       frank"
check_contains "weekly sre-leads in Berlin time" "$OUT" "since      2026-03-30 09:00 CEST"
check_contains "escalation resolved" "$OUT" "10m    team:sre-leads -> alice, team:platform -> zoe"
check_contains "user target" "$OUT" "25m    user:alice"
check_contains "first step at once" "$OUT" "0m     team:platform -> zoe"
check_contains "roles" "$OUT" "responder                platform       zoe, frank, grace, dave, erin"

# After the override ends erin is back on her own shift.
expect_rc "after the override" 0 "$WR_BIN" oncall --oncall "$EX" --at 2026-04-06T12:00:00Z --team platform
check_contains "erin" "$OUT" "on call    erin"
check_not_contains "one team only" "$OUT" "SRE leads"

expect_rc "json" 0 "$WR_BIN" --json oncall --oncall "$EX" --at 2026-04-04T12:00:00Z --team platform
check_contains "json oncall" "$OUT" '"oncall":"zoe","scheduled":"erin","next":"frank"'
check_contains "json since" "$OUT" '"since":"2026-04-04T01:00:00.000Z"'
check_contains "json override" "$OUT" '"override":{"user":"zoe","for":"erin","team":"platform"'

# The default place.
mkdir -p "$XDG_CONFIG_HOME/warroom"
cp "$EX" "$XDG_CONFIG_HOME/warroom/oncall.yaml"
expect_rc "default file" 0 "$WR_BIN" oncall --at 2026-04-04T12:00:00Z --team sre-leads
check_contains "alice leads" "$OUT" "on call    alice"

expect_rc "unknown team" 2 "$WR_BIN" oncall --team platfrom
check_contains "did you mean" "$ERR" "(did you mean platform?)"
expect_rc "bad --at" 2 "$WR_BIN" oncall --at tomorrow

printf 'teams:\n  a:\n    members: [x]\n    rotation: {shift: weekly, start: 2026-01-05 09:00, timezone: Europe/Berln}\n' >"$T/bad.yaml"
expect_rc "bad file" 2 "$WR_BIN" oncall --oncall "$T/bad.yaml"
check_contains "file:line:col" "$ERR" "$T/bad.yaml:4:66: unknown time zone 'Europe/Berln'"
finish
