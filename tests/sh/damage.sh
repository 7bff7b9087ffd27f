#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Damaged pages: bytes of one page of a 4,000-event incident overwritten (deterministic seeds: page, offset and
# bytes come from the seed; 2000, 200 and 16 bytes), then every reading command run on the damaged copy. Each
# must either print exactly what it printed on the intact database (exit 0), or fail with exit 9, print nothing
# on stdout, and say the database is damaged and what to do (`doctor --full`, a backup). A partial timeline,
# export or postmortem presented as whole is the failure this catches.
# One case is told apart and counted, not failed: bytes overwritten inside one record's text that leave the
# page, the record and its JSON readable (SQLite keeps no checksums, so nothing can notice them); the output
# then has every entry, in the same places, with at most a few lines of different text.
. "$(dirname "$0")/lib.sh"
export WARROOM_CLOCK=2026-03-01T09:00:00Z+
wr init >/dev/null
wr declare "Leaked keys" --severity SEV2 --type leaked-credentials >/dev/null
wr declare "Noise" --severity SEV4 >/dev/null
wr assign INC-1 IC ana >/dev/null && wr assign INC-1 scribe sam >/dev/null && wr assign INC-1 responder bob >/dev/null
wr assign INC-1 IC cy >/dev/null
wr runbook attach INC-1 leaked-cloud-credentials >/dev/null || fail "runbook attach"
wr step INC-1 "$(sqlite3 "$DB" "SELECT step FROM steps LIMIT 1")" done >/dev/null || fail "step"
wr asset INC-1 add database prod-orders >/dev/null && wr indicator INC-1 add ip 203.0.113.7 >/dev/null
wr action INC-1 add "rotate the keys" --owner ana >/dev/null && wr status INC-1 containment >/dev/null
"$WR_BINDIR/wr_writer" "$DB" 1 4000 "a note of the kind responders write, long enough to fill pages" >/dev/null ||
  fail "writing 4000 notes"
wr pin INC-1 5 >/dev/null && wr note INC-2 "something else" >/dev/null
check_eq "the incident has thousands of events" "$(sqlite3 "$DB" "SELECT count(*) > 4000 FROM events WHERE incident = 1")" 1

cmds=("tail INC-1 --lines 100000" "tail INC-1 --lines 100000 --json" "tail --all --lines 100000" "tail INC-1"
      "export INC-1 --json" "show INC-1" "show INC-1 --json" "list --all" "list --all --json" "postmortem INC-1"
      "postmortem INC-1 --json" "roles INC-1 --history" "milestone INC-1" "action INC-1 list" "asset INC-1 list"
      "indicator INC-1 list" "report --json" "alerts --all")
for k in "${!cmds[@]}"; do
  wr ${cmds[$k]} >"$T/ref$k" 2>"$T/referr" || fail "on the intact database: ${cmds[$k]}: $(cat "$T/referr")"
done

# same_entries OUT REF: OUT has every entry of REF in its place and differs from it in at most 3 lines of text
# (JSON: valid, with the same list of event numbers).
same_entries() {
  local out=$1 ref=$2
  if [ "$(wc -l <"$ref")" = 1 ]; then
    local q="SELECT json_valid(CAST(readfile('%s') AS TEXT)) || ':' || (SELECT group_concat(value, ',') FROM
             json_tree(CAST(readfile('%s') AS TEXT)) WHERE key = 'seq')"
    [ "$(sqlite3 :memory: "$(printf "$q" "$out" "$out")" 2>/dev/null)" = "$(sqlite3 :memory: "$(printf "$q" "$ref" "$ref")")" ]
    return
  fi
  [ "$(wc -l <"$out")" = "$(wc -l <"$ref")" ] || return 1
  [ "$(awk -F'[ ,]' '{print $1}' "$out")" = "$(awk -F'[ ,]' '{print $1}' "$ref")" ] || return 1
  [ "$(diff "$out" "$ref" | grep -c '^<')" -le 3 ]
}
whole=0 refused=0 trials=0 inside=0
# trial WR_DAMAGE-ARGS...: damage a copy, run every command on it, classify each outcome.
trial() {
  cp "$DB" "$T/d.db"
  where=$("$WR_BINDIR/wr_damage" "$T/d.db" "$@") || { fail "wr_damage $*"; return; }
  trials=$((trials + 1))
  for k in "${!cmds[@]}"; do
    "$WR_BIN" --db "$T/d.db" ${cmds[$k]} >"$T/out" 2>"$T/err"
    rc=$?
    what="seed $1, $where: ${cmds[$k]}"
    if [ "$rc" = 0 ]; then
      if cmp -s "$T/out" "$T/ref$k"; then whole=$((whole + 1)); ok
      elif same_entries "$T/out" "$T/ref$k"; then inside=$((inside + 1)); ok
      else fail "$what: exit 0 but not what the intact database gives ($(wc -l <"$T/out") lines, not $(wc -l <"$T/ref$k"))"; fi
    elif [ "$rc" = 9 ]; then
      refused=$((refused + 1))
      if [ -s "$T/out" ]; then fail "$what: exit 9 but printed $(wc -l <"$T/out") lines"; else ok; fi
      err=$(cat "$T/err")
      case "$err" in *"damaged"*"doctor --full"*"backup"*) ok ;; *) fail "$what: the message does not say damaged, doctor --full, backup: $err" ;; esac
    else
      fail "$what: exit $rc: $(head -c 300 "$T/err")"
    fi
  done
}
for len in 2000 200 16; do
  for seed in $(seq 1 "${DAMAGE_TRIALS:-20}"); do trial "$((seed * 7919 + len))" "$len"; done
done
# Aimed: a few bytes of the keys in the interior pages of the index an incident's timeline is read through.
# A key overwritten with another plausible one ends or bends an index scan with no error from SQLite; the
# reads must notice (the count through the table, the order, the incident of each row: store_read.c).
interior=$(sqlite3 "$DB" "SELECT pageno FROM dbstat WHERE name = 'events_incident' AND pagetype = 'internal'")
check "the index has interior pages to aim at" [ -n "$interior" ]
for page in $interior; do
  for seed in $(seq 1 "${DAMAGE_AIMED:-12}"); do trial "$((seed * 104729))" "$((1 + seed % 4))" "$page"; done
done
# Aimed: keys in the first two leaves of that index (INC-1's early entries). A key overwritten there can end a
# count taken through the index with no error: every entry number printed after it (show, tail, the console)
# would be wrong and look right, so numbers are counted through the table too (store_read.c, rank_checked).
# The leaves hold the same bytes in every run (their keys are incident and seq, not the random ids), so these
# seeds and lengths do the same each time: each left the index readable with such a key before that check.
for aim in "/000/ 16 200" "/000/ 23 550" "/001/ 9 550" "/001/ 14 100"; do
  set -- $aim
  page=$(sqlite3 "$DB" "SELECT pageno FROM dbstat WHERE name = 'events_incident' AND path = '$1'")
  check "the index has a leaf at $1" [ -n "$page" ] && trial "$(($2 * 15485863))" "$3" "$page"
done
echo "damage: $trials damaged copies x ${#cmds[@]} commands: $whole whole and identical, $refused refused with" \
  "exit 9, $inside complete with bytes changed inside one record's text (not detectable without checksums)"
check "some damage was met (exit 9)" [ "$refused" -gt 0 ]
check "some commands never touched the damage (exit 0, identical)" [ "$whole" -gt 0 ]
finish
