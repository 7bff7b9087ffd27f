#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shell completion generated from the act table: `warroom completion bash|zsh` is what contrib/completion/
# holds (test_docs checks the bytes); here the bash script is loaded in a real bash and asked for words, the
# static ones (commands, options, subcommands) and those warroom itself gives from the database.
. "$(dirname "$0")/lib.sh"
expect_rc "completion bash" 0 "$WR_BIN" completion bash
check_contains "bash script registers" "$OUT" "complete -o default -F _warroom warroom"
expect_rc "completion zsh" 0 "$WR_BIN" completion zsh
check_contains "zsh script is a compdef" "$OUT" "#compdef warroom"
expect_rc "completion fish refused" 2 "$WR_BIN" completion fish
# Ask bash: COMP_WORDS as it would set them, then the words it offers.
ask() { # ask WORD... (the last one is being completed)
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _warroom
    printf "%s\n" "${COMPREPLY[@]}"' ask "$WR_SRC/contrib/completion/warroom.bash" "$@"
}
check_contains "commands" "$(ask warroom de)" "declare"
check_contains "commands after a global option" "$(ask warroom --db x.db sta)" "status"
check_contains "an act's options" "$(ask warroom status --i)" "--into"
check_contains "subcommands" "$(ask warroom runbook s)" "suggest"
check_contains "severities" "$(ask warroom declare --severity SEV)" "SEV5"
check_contains "help names commands" "$(ask warroom help dri)" "drill"
# What only the database, the configuration and the runbooks know: asked of warroom itself (the script runs
# `warroom completion words -- WORDS...` with the global options it was given).
export PATH="$(dirname "$WR_BIN"):$PATH"
wr init >/dev/null && wr declare "Completion" >/dev/null && wr declare "Another" >/dev/null
wr runbook attach INC-1 leaked-cloud-credentials >/dev/null || fail "attach"
wr assign INC-1 scribe "$(id -un)" >/dev/null || fail "assign"
step=$(sqlite3 "$DB" "SELECT step FROM steps WHERE incident = 1 ORDER BY phase_index, ord LIMIT 1")
check_eq "incident ids" "$(ask warroom --db "$DB" show IN)" "$(printf 'INC-1\nINC-2')"
check_contains "roles" "$(ask warroom --db "$DB" assign INC-1 sc)" "scribe"
check_contains "people" "$(ask warroom --db "$DB" assign INC-1 responder "$(id -un | cut -c1-2)")" "$(id -un)"
check_contains "runbooks" "$(ask warroom --db "$DB" runbook attach INC-1 leaked)" "leaked-cloud-credentials"
check_contains "steps of the incident" "$(ask warroom --db "$DB" step INC-1 "${step:0:3}")" "$step"
check_contains "statuses" "$(ask warroom --db "$DB" status INC-1 cont)" "containment"
check_contains "themes" "$(ask warroom --theme hi)" "high-contrast"
check_eq "free text completes to nothing" "$(ask warroom --db "$DB" note INC-1 some)" ""
check_eq "no database: nothing, no error" "$(ask warroom --db /nonexistent/x.db show IN)" ""
check_eq "words directly" "$("$WR_BIN" --db "$DB" completion words -- show INC-)" "$(printf 'INC-1\nINC-2')"
# Every argument with a vocabulary (issue 14): incident types (the runbooks' and the incidents'), milestones,
# asset kinds, indicator types, step actions, audiences, action-item types.
wr declare "Typed" --type printer-fire >/dev/null
check_contains "incident types from the runbooks" "$(ask warroom --db "$DB" declare --type cred)" "credential-leak"
check_contains "incident types incidents have" "$(ask warroom --db "$DB" declare --type pri)" "printer-fire"
check_contains "alert declare --type too" "$(ask warroom --db "$DB" alert declare fp --type data)" "data-breach"
check_eq "milestones" "$(ask warroom --db "$DB" milestone INC-1 re)" "$(printf 'recovered\nresolved')"
check_contains "asset kinds" "$(ask warroom --db "$DB" asset INC-1 add data)" "database"
check_contains "indicator types" "$(ask warroom --db "$DB" indicator INC-1 add ci)" "cidr"
check_eq "step actions" "$(ask warroom --db "$DB" step INC-1 "$step" s)" "$(printf 'skip\nstart')"
check_eq "audiences" "$(ask warroom --db "$DB" update INC-1 --audience ex)" "executive"
check_eq "action-item types" "$(ask warroom --db "$DB" action INC-1 add --type pre)" "preventive"
check_eq "note tags" "$(ask warroom --db "$DB" note --tag went-b)" "went-badly"
if command -v zsh >/dev/null 2>&1; then
  check "zsh parses the script" zsh -n "$WR_SRC/contrib/completion/_warroom"
fi
finish
